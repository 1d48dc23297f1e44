"""What the room thinks, from the answers: pure functions, so a build is easy to test.

Word clouds and open-answer themes group words by their lemma (simplemma, Finnish or English
by the cohort's language), so "luottamus", "luottamusta" and "luottamuksen" count as one, shown
by the form people used most. A stemmer cut Finnish words at different points ("luottamu",
"luottamuks") and grouped 71 % of the 208 words in tests/live/test_lemmas.py; the lemmatiser
groups 98 %. Its stream dictionaries keep memory low: Finnish
costs about 45 MB, loaded once per process on first use. Compounds stay whole ("aamukahvi"),
and two words that recur side by side ("avoin keskustelu") become a theme of their own."""

import re
import statistics
from collections import Counter, defaultdict

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamDictionaryFactory


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


LEMMATIZER = Lemmatizer(
    lemmatization_strategy=DefaultStrategy(dictionary_factory=StreamDictionaryFactory())
)


def lemma_of(word: str, language: str) -> str:
    """The word's dictionary form ("luottamuksen" -> "luottamus"), lower case."""
    return LEMMATIZER.lemmatize(word.lower(), lang="fi" if language == "fi" else "en").lower()


def warm_up() -> None:
    for language in ("fi", "en"):
        lemma_of("tiimi", language)


def _tokens(text: str, language: str, excluded=()) -> list[tuple[str, str] | None]:
    """(lemma, word) for each word of the text in order; None for a word that carries no
    meaning (a stop word, a single letter, one the trainer excluded)."""
    stop = STOP_WORDS.get(language, STOP_WORDS["en"])
    excluded_lemmas = {lemma_of(w, language) for w in excluded}
    out = []
    for word in WORD.findall(text.lower()):
        lemma = lemma_of(word, language) if len(word) >= 2 and word not in stop else ""
        meaningful = lemma and lemma not in stop and lemma not in excluded_lemmas
        out.append((lemma, word) if meaningful else None)
    return out


def words_of(text: str, language: str, excluded=()) -> list[tuple[str, str]]:
    """(lemma, word) for the meaningful words of a text."""
    return [token for token in _tokens(text, language, excluded) if token]


def pairs_of(text: str, language: str, excluded=()) -> list[tuple[str, str]]:
    """("lemma lemma", "word word") for two meaningful words side by side."""
    tokens = _tokens(text, language, excluded)
    return [
        (f"{first[0]} {second[0]}", f"{first[1]} {second[1]}")
        for first, second in zip(tokens, tokens[1:], strict=False)
        if first and second and first[0] != second[0]
    ]


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
    """The word cloud: counts per lemma, each shown by its most used form."""
    per_lemma: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for lemma, word in words_of(text, language, excluded):
            per_lemma[lemma][word] += 1
    ranked = sorted(per_lemma.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        "count": len(texts),
        "words": [
            {"word": forms.most_common(1)[0][0], "lemma": lemma, "count": sum(forms.values())}
            for lemma, forms in ranked[:MAX_WORDS]
        ],
    }


def themes_summary(answers: list[tuple[int, str]], language: str, excluded=()) -> dict:
    """Open answers grouped into themes: a keyword (a lemma, or two words side by side,
    shared by at least two answers), the answers behind it, and two or three representative
    quotes (the answers that share the most of the strongest keywords). A two-word theme goes
    before its single words; a single word stays a theme of its own only where it reaches
    answers the pair does not."""
    keys_of = {}
    forms: dict[str, Counter] = defaultdict(Counter)
    for answer_id, text in answers:
        found = words_of(text, language, excluded) + pairs_of(text, language, excluded)
        keys_of[answer_id] = {key for key, _form in found}
        for key, form in found:
            forms[key][form] += 1
    document_frequency = Counter(key for keys in keys_of.values() for key in keys)
    candidates = sorted(
        (key for key, n in document_frequency.items() if n >= 2),
        key=lambda key: (-document_frequency[key], -key.count(" "), key),
    )
    texts = dict(answers)
    chosen: list[tuple[str, set]] = []
    for key in candidates:
        members = {a for a, keys in keys_of.items() if key in keys}
        covered = set().union(
            *(answers_ for other, answers_ in chosen if key in other.split(" ") and " " in other)
        )
        if " " not in key and members <= covered:
            continue  # said already by a two-word theme with these answers
        chosen.append((key, members))
        if len(chosen) == MAX_THEMES:
            break
    strongest = {key for key, _members in chosen}
    themes = []
    for key, members in chosen:
        central = sorted(members, key=lambda a: (-len(keys_of[a] & strongest), len(texts[a]), a))
        themes.append(
            {
                "keyword": forms[key].most_common(1)[0][0],
                "lemma": key,
                "answers": sorted(members),
                "quotes": [texts[a] for a in central[:3]],
            }
        )
    return {"count": len(answers), "themes": themes}


def curated(data: dict, curation: dict, texts: dict[int, str]) -> dict:
    """The trainer's hand on the themes of open answers: `merged` (a theme's lemma -> the
    lemma of the theme it joins), `names` (a theme's lemma -> the name the trainer gave it)
    and `pinned` (answer ids shown first among a theme's quotes). Hidden answers were left out
    before summarising. Every theme keeps its answers' ids: the link to its sources."""
    merged, names = curation.get("merged", {}), curation.get("names", {})
    pinned = [a for a in curation.get("pinned", []) if a in texts]
    themes = {theme["lemma"]: dict(theme) for theme in data.get("themes", [])}
    for source, target in merged.items():
        if source in themes and target in themes and source != target:
            joined = themes.pop(source)
            into = themes[target]
            into["answers"] = sorted(set(into["answers"]) | set(joined["answers"]))
            into["merged"] = [*into.get("merged", []), joined["lemma"]]
    out = []
    for theme in themes.values():
        theme["keyword"] = names.get(theme["lemma"], theme["keyword"])
        pins = [a for a in pinned if a in theme["answers"]]
        pinned_texts = [texts[a] for a in pins]
        theme["quotes"] = (pinned_texts + [q for q in theme["quotes"] if q not in pinned_texts])[:3]
        theme["pinned"] = pins
        out.append(theme)
    out.sort(key=lambda theme: -len(theme["answers"]))
    return {**data, "themes": out}
