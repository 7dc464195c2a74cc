"""The per-employee arithmetic of a payroll close: pure, no database (like the engine).

For one employee and month it takes the entries the close gathered (carried-over balances,
this month's penalties and awards, adjustments) and decides, oldest first, what is
withheld, what carries into the next month, what a reduction cancels or refunds:

- the cap (《工资支付暂行规定》第十六条, 《最低工资规定》第十二条):
  ``cap = max(0, min(20% × wage, wage − absence cuts − local minimum wage))``; it limits
  fines, compensation, bonus reductions, carried-over balances and rewards clawed back;
- absence pay cuts are withheld in full and not capped;
- rewards are paid in full; with ``net_rewards`` the month's rewards first absorb
  deductions, so the cap applies only to the rest;
- a reduction of something a closed month included (negative adjustment) first cancels
  what of it is still carried over, and pays back the rest (it had been withheld).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
CAP_RATE = Decimal("0.20")

FINE = "fine"
COMPENSATION = "compensation"
BONUS_REDUCTION = "bonus_reduction"
ABSENCE_CUT = "absence_cut"
REWARD = "reward"
CAPPED = frozenset({FINE, COMPENSATION, BONUS_REDUCTION})

CARRY = "carry"


def fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def deduction_cap(*, wage: Decimal, absence: Decimal, minimum: Decimal) -> Decimal:
    """What may be withheld this month for capped kinds: min(20% of the wage, what
    keeps the pay after absence cuts at the local minimum wage), never below 0."""
    twenty = fen(wage * CAP_RATE)
    room = wage - absence - minimum
    return max(ZERO, min(twenty, room))


@dataclass
class Entry:
    """One thing the close gathered for the employee, with what becomes of it.

    ``amount`` is signed for adjustments (negative: reduced), positive otherwise. ``ref``
    names the penalty or award it is about, so that a reduction finds its carried-over
    balance. ``order`` breaks ties between equal dates (lower first)."""

    kind: str
    amount: Decimal
    dated: date
    source: str = "penalty"
    ref: tuple[str, int] | None = None
    order: int = 0
    applied: Decimal = ZERO
    carried: Decimal = ZERO
    cancelled: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def is_carry(self) -> bool:
        return self.source == CARRY


@dataclass
class Settlement:
    """The month's result for one employee (every amount a Decimal to the fen)."""

    wage: Decimal
    cap: Decimal
    fines: Decimal = ZERO
    compensation: Decimal = ZERO
    bonus_reductions: Decimal = ZERO
    absence_cuts: Decimal = ZERO
    rewards: Decimal = ZERO
    clawbacks: Decimal = ZERO
    carried_in: Decimal = ZERO
    carry_cancelled: Decimal = ZERO
    refunds: Decimal = ZERO
    due: Decimal = ZERO
    capped_applied: Decimal = ZERO
    carried_out: Decimal = ZERO
    netted_by_rewards: bool = False
    entries: list[Entry] = field(default_factory=list)

    @property
    def withheld(self) -> Decimal:
        """Deducted from this month's pay: absence cuts plus the capped deductions."""
        return self.absence_cuts + self.capped_applied

    @property
    def net_change(self) -> Decimal:
        """What the month adds to (positive) or takes from (negative) the pay."""
        return self.rewards + self.refunds - self.withheld

    @property
    def is_capped(self) -> bool:
        return self.carried_out > 0


KIND_COLUMN = {
    FINE: "fines",
    COMPENSATION: "compensation",
    BONUS_REDUCTION: "bonus_reductions",
}


def _sort_key(entry: Entry) -> tuple:
    return (entry.dated, entry.order)


def settle(
    entries: list[Entry], *, wage: Decimal, minimum: Decimal, net_rewards: bool = False
) -> Settlement:
    """Settle one employee's month. Fills each entry's ``applied``, ``carried``,
    ``cancelled`` and ``refunded`` and returns the totals."""
    debits: list[tuple[Entry, Decimal]] = []  # (entry, amount owed under the cap)
    credits: list[Entry] = []
    carries: list[Entry] = []
    absence = rewards = ZERO
    result = Settlement(wage=wage, cap=ZERO, entries=entries)

    for entry in entries:
        if entry.is_carry:
            result.carried_in += entry.amount
            carries.append(entry)
        elif entry.kind in CAPPED:
            if entry.amount >= 0:
                column = KIND_COLUMN[entry.kind]
                setattr(result, column, getattr(result, column) + entry.amount)
                debits.append((entry, entry.amount))
            else:
                credits.append(entry)
        elif entry.kind == ABSENCE_CUT:
            if entry.amount >= 0:
                absence += entry.amount
                entry.applied = entry.amount
            else:
                entry.refunded = -entry.amount
                result.refunds += entry.refunded
        elif entry.kind == REWARD:
            if entry.amount >= 0:
                rewards += entry.amount
                entry.applied = entry.amount
            else:  # a paid reward taken back: owed like a deduction, under the cap
                result.clawbacks += -entry.amount
                debits.append((entry, -entry.amount))
        else:
            raise ValueError(f"unknown money kind {entry.kind!r}")

    # Reductions first cancel what of the same penalty is still carried over, oldest
    # balance first; what remains had been withheld and is paid back.
    carries.sort(key=_sort_key)
    open_balance = {id(c): c.amount for c in carries}
    for credit in sorted(credits, key=_sort_key):
        left = -credit.amount
        for carry in carries:
            if left <= 0:
                break
            if carry.ref is None or carry.ref != credit.ref or open_balance[id(carry)] <= 0:
                continue
            take = min(left, open_balance[id(carry)])
            open_balance[id(carry)] -= take
            carry.cancelled += take
            credit.cancelled += take
            left -= take
        credit.refunded = left
        result.carry_cancelled += credit.cancelled
        result.refunds += left
    for carry in carries:
        if open_balance[id(carry)] > 0:
            debits.append((carry, open_balance[id(carry)]))

    result.absence_cuts = absence
    result.rewards = rewards
    result.cap = deduction_cap(wage=wage, absence=absence, minimum=minimum)
    limit = result.cap
    if net_rewards and rewards > 0:
        limit += rewards
    # Oldest first: carried-over balances and this month's items by date.
    debits.sort(key=lambda pair: (pair[0].dated, 0 if pair[0].is_carry else 1, pair[0].order))
    for entry, owed in debits:
        result.due += owed
        take = min(owed, limit)
        limit -= take
        entry.applied = take
        entry.carried = owed - take
        result.capped_applied += take
        result.carried_out += entry.carried
    result.netted_by_rewards = net_rewards and rewards > 0 and result.capped_applied > result.cap
    return result
