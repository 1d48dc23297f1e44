"""What the room thinks, from the answers: pure functions, so a build is easy to test.

Word clouds and open-answer themes group words by their stem (snowballstemmer, Finnish or
English by the cohort's language), so "valmentaja", "valmentajan" and "valmentajat" count as one,
shown by the form people used most."""

import re
import statistics
from collections import Counter, defaultdict

import snowballstemmer


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = {
    "fi": _word_list("""
        ja on ei se että oli olla kun niin mutta tai jos kuin mitä myös vain voi nyt sitten ovat
        hän minä me te he sinä tämä tuo joka mikä kanssa jo vielä jotta koska sen sitä siitä
        siinä kaikki ole en et emme olen olemme ollut olisi paljon hyvin sekä eli kuten minun
        meidän niiden niitä näin mitään jotain joku jokin tässä tästä sinne siellä täällä ne
        nämä noin yli alle ilman vaan vai taas aina usein kaikkea jokainen
    """),
    "en": _word_list("""
        the a an and or but is are was were to of in on for with it this that i we you they be
        have has had not so as at by from my our your their will would can could do did more
        very just what when how about into than then there here also all any some me us them
        its it's i'm don't can't am been being if no yes too up out one
    """),
}
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
MAX_WORDS = 40
MAX_THEMES = 6


def _stemmer(language: str):
    return snowballstemmer.stemmer("finnish" if language == "fi" else "english")


def words_of(text: str, language: str, excluded=()) -> list[tuple[str, str]]:
    """(stem, word) for the meaningful words of a text."""
    stop = STOP_WORDS.get(language, STOP_WORDS["en"])
    excluded_stems = {_stemmer(language).stemWord(w.lower()) for w in excluded}
    stemmer = _stemmer(language)
    out = []
    for word in WORD.findall(text.lower()):
        if len(word) < 2 or word in stop:
            continue
        stem = stemmer.stemWord(word)
        if stem not in excluded_stems:
            out.append((stem, word))
    return out


def scale_summary(values: list[int], low: int, high: int) -> dict:
    counts = Counter(values)
    return {
        "count": len(values),
        "distribution": {str(n): counts.get(n, 0) for n in range(low, high + 1)},
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": statistics.median(values) if values else None,
    }


def choice_summary(values: list, choices: list[str]) -> dict:
    """Single choice (one value each) or multiple (a list each): how many chose each."""
    counts = Counter()
    for value in values:
        counts.update(value if isinstance(value, list) else [value])
    return {"count": len(values), "distribution": {c: counts.get(c, 0) for c in choices}}


def word_summary(texts: list[str], language: str, excluded=()) -> dict:
    """The word cloud: counts per stem, each shown by its most used form."""
    per_stem: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for stem, word in words_of(text, language, excluded):
            per_stem[stem][word] += 1
    ranked = sorted(per_stem.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        "count": len(texts),
        "words": [
            {"word": forms.most_common(1)[0][0], "stem": stem, "count": sum(forms.values())}
            for stem, forms in ranked[:MAX_WORDS]
        ],
    }


def themes_summary(answers: list[tuple[int, str]], language: str, excluded=()) -> dict:
    """Open answers grouped into themes: a keyword (a stem shared by at least two answers),
    the answers behind it, and two or three representative quotes (the answers that share the
    most of the strongest keywords)."""
    stems_of = {}
    forms: dict[str, Counter] = defaultdict(Counter)
    for answer_id, text in answers:
        pairs = words_of(text, language, excluded)
        stems_of[answer_id] = {stem for stem, _word in pairs}
        for stem, word in pairs:
            forms[stem][word] += 1
    document_frequency = Counter(stem for stems in stems_of.values() for stem in stems)
    keywords = [
        stem
        for stem, n in sorted(document_frequency.items(), key=lambda item: (-item[1], item[0]))
        if n >= 2
    ]
    texts = dict(answers)
    themes = []
    for stem in keywords[:MAX_THEMES]:
        members = [a for a, stems in stems_of.items() if stem in stems]
        central = sorted(
            members,
            key=lambda a: (-len(stems_of[a] & set(keywords[:MAX_THEMES])), len(texts[a]), a),
        )
        themes.append(
            {
                "keyword": forms[stem].most_common(1)[0][0],
                "stem": stem,
                "answers": sorted(members),
                "quotes": [texts[a] for a in central[:3]],
            }
        )
    return {"count": len(answers), "themes": themes}
