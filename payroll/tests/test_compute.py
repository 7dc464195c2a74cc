"""The per-employee arithmetic, without a database: the cap in its three regimes, absence
cuts, oldest-first carry-over, reductions cancelling carry-overs, rewards netting."""

from datetime import date
from decimal import Decimal as D

import pytest

from payroll.compute import Entry, deduction_cap, settle

MIN = D("2100.00")
JAN = date(2026, 1, 15)


def fine(amount, dated=JAN, **kw):
    return Entry(kind="fine", amount=D(amount), dated=dated, **kw)


@pytest.mark.parametrize(
    ("wage", "absence", "cap"),
    [
        (D("10000"), D("0"), D("2000.00")),  # 20% binds
        (D("2500"), D("0"), D("400")),  # the minimum-wage floor binds
        (D("3000"), D("500"), D("400")),  # absence cuts move the floor
        (D("2000"), D("0"), D("0")),  # below the minimum: nothing may be withheld
        (D("3000"), D("1500"), D("0")),  # floored at 0
        (D("3333.33"), D("0"), D("666.67")),  # 20% rounded half up to the fen
    ],
)
def test_deduction_cap(wage, absence, cap):
    assert deduction_cap(wage=wage, absence=absence, minimum=MIN) == cap


def test_neither_limit_binds_everything_is_withheld():
    result = settle([fine("300")], wage=D("3000"), minimum=MIN)
    assert (result.cap, result.capped_applied, result.carried_out) == (D("600"), D("300"), 0)
    assert not result.is_capped
    assert result.net_change == D("-300")


def test_absence_cuts_are_not_capped_and_leave_no_room_for_fines():
    entries = [Entry(kind="absence_cut", amount=D("1000"), dated=JAN), fine("200")]
    result = settle(entries, wage=D("3000"), minimum=MIN)
    assert result.cap == 0
    assert result.absence_cuts == D("1000")
    assert result.withheld == D("1000")
    assert result.carried_out == D("200")
    assert entries[0].applied == D("1000") and entries[1].carried == D("200")


def test_excess_carries_oldest_first():
    late, early = fine("500", date(2026, 1, 20)), fine("500", date(2026, 1, 5))
    carry = Entry(kind="fine", amount=D("100"), dated=date(2025, 12, 3), source="carry")
    result = settle([late, early, carry], wage=D("3000"), minimum=MIN)
    assert result.due == D("1100") and result.capped_applied == D("600")
    assert (carry.applied, early.applied, late.applied) == (D("100"), D("500"), D("0"))
    assert (early.carried, late.carried) == (D("0"), D("500"))
    assert result.carried_in == D("100") and result.carried_out == D("500")


def test_reduction_cancels_its_own_carry_over_first_then_refunds():
    carry_p = Entry(
        kind="fine", amount=D("200"), dated=date(2025, 12, 3), source="carry", ref=("penalty", 1)
    )
    carry_q = Entry(
        kind="fine", amount=D("100"), dated=date(2025, 12, 4), source="carry", ref=("penalty", 2)
    )
    credit = Entry(
        kind="fine",
        amount=D("-500"),
        dated=date(2025, 12, 3),
        source="adjustment",
        ref=("penalty", 1),
    )
    result = settle([carry_p, carry_q, credit], wage=D("3000"), minimum=MIN)
    assert carry_p.cancelled == D("200") and credit.cancelled == D("200")
    assert credit.refunded == D("300") and result.refunds == D("300")
    assert result.due == D("100") and carry_q.applied == D("100")
    assert result.net_change == D("300") - D("100")


def test_rewards_are_paid_in_full_and_not_netted_by_default():
    entries = [fine("1000"), Entry(kind="reward", amount=D("500"), dated=JAN)]
    result = settle(entries, wage=D("3000"), minimum=MIN)
    assert result.rewards == D("500") and result.capped_applied == D("600")
    assert result.carried_out == D("400")
    assert result.net_change == D("500") - D("600")


def test_netting_rewards_lets_them_absorb_deductions_first():
    entries = [fine("1000"), Entry(kind="reward", amount=D("500"), dated=JAN)]
    result = settle(entries, wage=D("3000"), minimum=MIN, net_rewards=True)
    assert result.capped_applied == D("1000") and result.carried_out == 0
    assert result.netted_by_rewards
    assert result.net_change == D("-500")


def test_a_reward_taken_back_is_owed_under_the_cap():
    entries = [Entry(kind="reward", amount=D("-800"), dated=JAN, source="adjustment")]
    result = settle(entries, wage=D("3000"), minimum=MIN)
    assert result.clawbacks == D("800") and result.capped_applied == D("600")
    assert result.carried_out == D("200")


def test_an_absence_cut_reduced_later_is_refunded():
    entries = [Entry(kind="absence_cut", amount=D("-137.93"), dated=JAN, source="adjustment")]
    result = settle(entries, wage=D("3000"), minimum=MIN)
    assert result.refunds == D("137.93") and result.net_change == D("137.93")
