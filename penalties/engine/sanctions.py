"""The ordered registry of sanctions (处分) from docs/schedule-format.md.

Rank orders the ladder 口头警告 < … < 解聘/辞退/开除; rank 0 marks side sanctions
(取消当年评优资格 …) that are not on the ladder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sanction:
    code: str
    name: str
    name_en: str
    rank: int

    @property
    def on_ladder(self) -> bool:
        return self.rank > 0


SANCTIONS: tuple[Sanction, ...] = (
    Sanction("verbal_warning", "口头警告", "Verbal warning", 1),
    Sanction("admonition", "诫勉谈话", "Admonitory talk", 1),
    Sanction("written_warning", "书面警告", "Written warning", 2),
    Sanction("public_criticism", "通报批评", "Public criticism", 3),
    Sanction("demerit", "记过", "Demerit", 4),
    Sanction("major_demerit", "记大过", "Major demerit", 5),
    Sanction("suspension", "停职反省", "Suspension for reflection", 6),
    Sanction("standby", "待岗", "Standby (off post)", 6),
    Sanction("suspension_standby", "停职待岗", "Suspension and standby", 6),
    Sanction("standby_reflection", "待岗反省", "Standby for reflection", 6),
    Sanction("post_suspension", "停岗反省", "Off post for reflection", 6),
    Sanction("off_post_training", "离岗培训", "Off-post training", 6),
    Sanction("removal_pending_rehire", "解职待聘", "Removal pending re-hire", 6),
    Sanction("deferred_appointment", "缓聘", "Deferred appointment", 6),
    Sanction("prescription_suspended", "停止处方权", "Prescribing rights suspended", 6),
    Sanction("demotion", "降职", "Demotion", 7),
    Sanction("transfer", "调岗", "Transfer", 8),
    Sanction("transfer_standby", "调离待岗", "Transfer off post, standby", 8),
    Sanction("dismissal", "解聘", "Dismissal", 9),
    Sanction("discharge", "辞退", "Discharge", 9),
    Sanction("expulsion", "开除", "Expulsion", 9),
    Sanction("disciplinary_action", "处分", "Disciplinary action", 4),
    Sanction("award_ineligible", "取消当年评优资格", "Ineligible for this year's awards", 0),
    Sanction(
        "title_ineligible", "取消当年评职称资格", "Ineligible for this year's title review", 0
    ),
)

_BY_CODE: dict[str, Sanction] = {s.code: s for s in SANCTIONS}
_POSITION: dict[str, int] = {s.code: i for i, s in enumerate(SANCTIONS)}


def is_sanction(code: object) -> bool:
    """True when ``code`` names a registered sanction."""
    return isinstance(code, str) and code in _BY_CODE


def get_sanction(code: str) -> Sanction:
    """The sanction for ``code``; ``KeyError`` when unknown."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"未知处分代码: {code}") from None


def sanction_name(code: str) -> str:
    """Chinese name of a sanction code."""
    return get_sanction(code).name


def sanction_rank(code: str) -> int:
    return get_sanction(code).rank


def ladder_order(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes without duplicates, in ladder order (side sanctions last, registry order on ties)."""

    def key(code: str) -> tuple[bool, int, int]:
        sanction = get_sanction(code)
        return (not sanction.on_ladder, sanction.rank, _POSITION[code])

    return tuple(sorted(set(codes), key=key))


def max_rank(codes: Iterable[str]) -> int:
    """Highest ladder rank among ``codes`` (0 when none is on the ladder)."""
    return max((sanction_rank(code) for code in codes), default=0)


def join_names(codes: Iterable[str], sep: str = "/") -> str:
    """Chinese names joined, e.g. ``通报批评/解职待聘/解聘``."""
    return sep.join(sanction_name(code) for code in codes)
