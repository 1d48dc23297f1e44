"""The anonymity rule, in one place, and the statistics of change.

A result is a `Slice`: sums over team answers. Every slice a person can see is built only from
*parts* (one team's answers to one item in one wave) that each have at least N answers on the
scale. A part below N is never shown and never added into anything shown. So no shown number,
and no difference between two shown numbers, rests on fewer than N answers: differencing a
total against its shown slices only ever isolates whole parts of N or more.

N is the programme's `anonymity_threshold`, never below `MINIMUM`."""

import math
import statistics
from dataclasses import dataclass, field

MINIMUM = 3
SCALE = (1, 2, 3, 4, 5)
CANT_SAY = 0


def threshold(programme) -> int:
    return max(MINIMUM, programme.anonymity_threshold or MINIMUM)


@dataclass
class Slice:
    """Sums of answers on the scale, and which parts (supervisor id, item key) they come
    from. Means and spreads are read from here, so they too exist only above N."""

    n: int = 0
    total: int = 0
    total_sq: int = 0
    dist: list[int] = field(default_factory=lambda: [0] * len(SCALE))
    parts: set = field(default_factory=set)

    def add(self, figures: dict, part) -> None:
        self.n += figures["n"]
        self.total += figures["sum"]
        self.total_sq += figures["sumsq"]
        dist = self.dist
        for index, count in enumerate(figures["dist"]):
            dist[index] += count
        self.parts.add(part)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def shares(self) -> list[int]:
        """The distribution in whole per cent (for the bars)."""
        return [round(100 * count / self.n) if self.n else 0 for count in self.dist]


def part_visible(figures: dict | None, n_min: int) -> bool:
    return bool(figures) and figures["n"] >= n_min


@dataclass(frozen=True)
class Change:
    """The paired change across supervisors whose teams met N at both waves."""

    included: int
    eligible: int
    before: float | None
    after: float | None
    mean: float | None
    sd: float | None
    effect: float | None  # Cohen's d_z = mean change / SD of the changes
    low: float | None  # 95 % interval of the mean change
    high: float | None


# Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom.
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]  # fmt: skip


def t95(df: int) -> float:
    return _T95[df - 1] if df <= len(_T95) else 1.96


def paired_change(pairs: list[tuple[float, float]], eligible: int) -> Change:
    """`pairs`: (before, after) per supervisor, each a team mean above N."""
    if not pairs:
        return Change(0, eligible, None, None, None, None, None, None, None)
    diffs = [after - before for before, after in pairs]
    before = statistics.fmean(b for b, _a in pairs)
    after = statistics.fmean(a for _b, a in pairs)
    mean = statistics.fmean(diffs)
    if len(diffs) < 2:
        return Change(1, eligible, before, after, mean, None, None, None, None)
    sd = statistics.stdev(diffs)
    margin = t95(len(diffs) - 1) * sd / math.sqrt(len(diffs))
    effect = mean / sd if sd else None
    return Change(
        len(diffs), eligible, before, after, mean, sd, effect, mean - margin, mean + margin
    )
