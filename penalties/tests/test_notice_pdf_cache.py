"""The notice PDF machinery: cut-down fonts, one renderer per thread, kept PDFs.

A notice rendered once is read back while nothing it prints has changed; acknowledging,
replacing or voiding it changes what it prints, so it is rendered again."""

import io
import re
import threading
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from penalties import pdf_support
from penalties.models import Notice
from penalties.notices_pdf import TEMPLATE, penalty_notice_pdf, penalty_notices_pdf
from penalties.pdf_fonts import charset, notice_fonts
from penalties.services.appeals import appeal_decide, appeal_file
from penalties.services.approvals import penalty_approve, penalty_void
from penalties.services.notices import notice_acknowledge
from penalties.tests.approval_helpers import make_penalty
from staff.models import CompanySettings


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_fonts(data: bytes) -> set[str]:
    """The base names of the fonts a PDF embeds, without the subset prefix."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def counting_renders(monkeypatch) -> list[str]:
    """The HTML of every PDF WeasyPrint actually lays out from now on (a list that grows)."""
    calls = []
    write_pdf = pdf_support._Renderer.write_pdf

    def counting(self, html):
        calls.append(html)
        return write_pdf(self, html)

    monkeypatch.setattr(pdf_support._Renderer, "write_pdf", counting)
    return calls


@pytest.fixture
def renders(monkeypatch):
    return counting_renders(monkeypatch)


@pytest.fixture
def notice(db, employee_user, hr_user, head_user):
    CompanySettings.objects.update_or_create(pk=1, defaults={"name": "鹤城优质服务有限公司"})
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    return Notice.objects.get(penalty=penalty)


def kept_files() -> list[str]:
    found = []
    if not default_storage.exists(pdf_support.CACHE_FOLDER):
        return found
    for folder in default_storage.listdir(pdf_support.CACHE_FOLDER)[0]:
        path = f"{pdf_support.CACHE_FOLDER}/{folder}"
        found += [f"{path}/{name}" for name in default_storage.listdir(path)[1]]
    return found


def test_a_second_download_reads_the_kept_pdf(notice, renders):
    first = penalty_notice_pdf(notice=notice)
    second = penalty_notice_pdf(notice=Notice.objects.get(pk=notice.pk))
    assert len(renders) == 1
    assert second == first
    assert len(kept_files()) == 1


def test_the_view_serves_the_kept_pdf(client, notice, hr_user, renders):
    client.force_login(hr_user)
    url = reverse("penalties:notice_pdf", args=[notice.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert second.content == first.content
    assert notice.number in pdf_text(second.content)
    assert len(renders) == 1


def test_acknowledging_renders_the_notice_again(notice, employee_user, renders):
    before = penalty_notice_pdf(notice=notice)
    notice_acknowledge(notice=notice, employee_user=employee_user, ip="10.0.0.8")
    notice.refresh_from_db()
    after = penalty_notice_pdf(notice=notice)
    assert len(renders) == 2
    assert "10.0.0.8" not in pdf_text(before)
    assert "10.0.0.8" in pdf_text(after)
    assert penalty_notice_pdf(notice=notice) == after  # and that one is kept in turn
    assert len(renders) == 2


def test_a_voided_penalty_is_never_served_from_before(notice, hr_user, renders):
    assert "处罚已作废" not in pdf_text(penalty_notice_pdf(notice=notice))
    penalty_void(penalty=notice.penalty, by=hr_user, reason="登记错误")
    notice.refresh_from_db()
    assert "处罚已作废" in pdf_text(penalty_notice_pdf(notice=notice))
    assert len(renders) == 2


def test_a_replaced_notice_is_never_served_from_before(notice, employee_user, gm_user, renders):
    assert "已被新的通知书取代" not in pdf_text(penalty_notice_pdf(notice=notice))
    appeal = appeal_file(penalty=notice.penalty, employee_user=employee_user, text="太重")
    appeal_decide(
        appeal=appeal, reviewer=gm_user, outcome="reduced", new_amount=Decimal("101"), reason="初犯"
    )
    notice.refresh_from_db()
    assert "已被新的通知书取代" in pdf_text(penalty_notice_pdf(notice=notice))
    newer = Notice.objects.get(penalty=notice.penalty, is_current=True)
    assert "壹佰零壹元整" in pdf_text(penalty_notice_pdf(notice=newer))
    assert len(renders) == 3


def test_an_incomplete_kept_file_is_rendered_again(notice, renders):
    data = penalty_notice_pdf(notice=notice)
    (name,) = kept_files()
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(data[: len(data) // 2]))  # still being written
    assert penalty_notice_pdf(notice=notice) == data
    assert len(renders) == 2


def test_a_month_printed_at_once_is_not_kept(notice, renders):
    penalty_notices_pdf(notices=[notice])
    penalty_notices_pdf(notices=[notice])
    assert len(renders) == 2
    assert kept_files() == []


def test_the_notice_embeds_only_the_cut_down_faces(notice):
    assert notice_fonts(), "the Noto CJK fonts and HarfBuzz-subset are installed here"
    fonts = pdf_fonts(penalty_notice_pdf(notice=notice))
    assert fonts and all(name.startswith("JC-Notice-") for name in fonts), fonts


def test_a_character_outside_the_cut_down_faces_still_prints(db, employee_user, hr_user, gm_user):
    assert 0x5803 not in charset()  # 堃: a name character outside GB 2312
    employee = employee_user.employee
    employee.name = "王堃"
    employee.save(update_fields=["name"])
    penalty = make_penalty(employee=employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=gm_user)
    data = penalty_notice_pdf(notice=Notice.objects.get(penalty=penalty))
    assert "王堃" in pdf_text(data)
    assert "Noto-Serif-CJK-SC" in pdf_fonts(data)  # that one character, from the full font


def test_the_labels_and_usual_text_are_in_the_cut_down_faces():
    kept = set(charset())
    text = "处罚通知书编号员工工号部门责任方违反的规定规章制度类别条款条文违规事实时间地点"
    text += "事实经过违规次数处理依据处理决定金额大写人民币壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"
    text += "审批记录环节姓名职务日期意见申诉权利签发人见证人拒签情况说明¥—“”（）、：，。《》"
    text += "ABCXYZabcxyz0123456789-"
    assert {c for c in text if ord(c) not in kept} == set()


def test_each_thread_renders_with_its_own_configuration():
    context = {
        "notices": [
            {"number": f"JC-2026-00000{i}", "s": {"company": "鹤城"}, "banner": ""}
            for i in range(2)
        ]
    }
    results, renderers, errors = {}, {}, []

    def work(n):
        try:
            one = {"notices": [context["notices"][n]]}
            results[n] = pdf_support.render_pdf(template=TEMPLATE, context=one)
            renderers[n] = pdf_support._renderer()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert renderers[0] is not renderers[1]
    for n in range(2):
        assert f"JC-2026-00000{n}" in pdf_text(results[n])


def test_the_stylesheet_is_parsed_once_per_thread(notice, monkeypatch):
    penalty_notice_pdf(notice=notice)
    renderer = pdf_support._renderer()
    made = []
    monkeypatch.setattr(pdf_support, "_Renderer", lambda: made.append(1))
    penalty_notices_pdf(notices=[notice])
    assert made == []
    assert pdf_support._renderer() is renderer


def test_font_subsetting_allocates_open_arrays_with_the_same_items(notice):
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    penalty_notice_pdf(notice=notice)
    assert isinstance(fonts.ffi, pdf_support._OpenArrays)
    array = fonts.ffi.new("hb_codepoint_t[3]", [5, 6, 7])
    assert list(array) == [5, 6, 7]
    assert ffi.sizeof(array) == ffi.sizeof("hb_codepoint_t[3]")
    padded = fonts.ffi.new("hb_codepoint_t[4]", [1])  # fewer items: left as asked
    assert list(padded) == [1, 0, 0, 0]
    assert fonts.ffi.NULL == ffi.NULL
