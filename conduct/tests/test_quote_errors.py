"""The engine's ``QuoteError`` lands at the violation form's field it names."""

import pytest

from conduct.selectors.violations import quote_error
from penalties.engine import QuoteError


@pytest.mark.parametrize(
    ("engine_field", "form_field"),
    [
        ("amount", "chosen_amount"),
        ("extra_amounts", "second_amount"),
        ("involved", "involved_amount"),
        ("level", "level"),
        ("sanction_choice", "sanction_choice"),
        ("quantity", "quantity"),
    ],
)
def test_an_input_error_is_shown_at_its_field(engine_field, form_field):
    error = quote_error(QuoteError("金额应在100元至500元之间", field=engine_field))

    assert error.message_dict == {form_field: ["金额应在100元至500元之间"]}


@pytest.mark.parametrize("engine_field", [None, "monthly_wage", "trigger_counts"])
def test_an_error_the_form_has_no_field_for_is_shown_above_the_form(engine_field):
    error = quote_error(QuoteError("该员工未设置月工资", field=engine_field))

    assert not hasattr(error, "error_dict")
    assert error.messages == ["该员工未设置月工资"]
