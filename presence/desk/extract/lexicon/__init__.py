"""The words the extractor reads, one module a language, merged into one lexicon.

Each language module defines `WORDS`: a category name to a list of regex fragments,
matched case-insensitively on text that was lowered and transliterated to Latin
(Serbian and Macedonian Cyrillic are read through `transliterate`), so the BCS
and Macedonian lists are written in Latin letters. A fragment is matched at a word
start; a trailing `\\w*` takes the inflected forms.

Categories shared by every language (a language may leave one out):

troop_nouns      the people a troop figure counts (troops, vojnika, ushtarë, Soldaten)
count_nouns      nouns that make a number a count of something else (countries, camps)
budget           words that make a money amount a budget or expenditure
defence          words that tie money to defence (not to the state or another ministry)
approx/upper/lower  qualifier words just before a number
lower_after      qualifier words just after a number (Turkish "üzerinde")
delta_before / delta_after   a change, not a level ("700 more", "dodatnih 200")
plan             a future or planned level ("will be cut to")
plan_after       a future said after the number ("500 soldiers will", "500 Soldaten sollen")
draft            a budget not yet adopted (draft, nacrt, propozim)
multiyear        a sum over several years
other_money      money that is not the defence budget (state budget, purchases, GDP)
other_forces     forces that are not the missions (Kosovo Security Force, national armies)
elsewhere        troops counted somewhere else (in Europe, Afghanistan, an exercise)
casualty         injured or killed people
capacity / ceiling / cumulative   what a base holds, what a mandate allows, all who served
generic          a typical size, not a figure ("usually", "obično", "zakonisht")
deploy           verbs of sending a unit (a change, unless the sentence gives a total)
historic         a past level with no date ("at its peak")
start            the mission's start ("at the launch"), dated by the mission's start
present          "now", "currently": the date line's date
total            "in total", "ukupno"
of_which         "of which", "od kojih": a part of the number before it
of_whom_after    "41,000 of whom": after a bare number, a part of the troop figure before it
identifier       "resolution", "rezolucija": the number after it names a document (UNSCR 1244)
with             "with", "sa", "me": joins a list item's name to its number ("Mađarska sa 469")
in_place         "in", "u", "në", "im": where troops are ("180 in Bosnia", "u Poljskoj")
than             "than", "nego", "als": what follows is the thing compared with
predecessor      prepositions right before a mission that name the one replaced ("from SFOR")
replaces         verbs of replacing: the mission after them, past a few descriptor words, is
                 the one replaced ("sostituisce la missione NATO SFOR")
mission_descriptor   the words allowed between those and the mission ("the", "misija", "NATO")
year_since       "since 1999": the year dates something else
relative_last / relative_this / relative_next   relative years, counted from the date line
narrative_earlier / narrative_later   "a year earlier", "a year later": counted from the year
                 the text last stated before them (from the date line when it stated none)
gdp / percent    a share, not an amount
from_words / to_words   "from A to B"
thousand / million / billion   scale words after a number
infobox_size     an infobox's size label heading a line ("Size: 4,443", "Величина4.443 људи",
                 a label and its number glued when a page's table is flattened)
definite         "the", "të", "les" right before a number: the number named before ("the 350
                 soldiers" after "has deployed 350 troops")
task_for         "for", "für" before another force's name: a task ("for police tasks"), not it
possessive       "its", "seinen", "svojih" right before a number: what the force holds now,
                 whatever the sentence plans to do with it ("wird mit seinen 300 Soldaten ... führen")
strength_before  words that introduce a force's size ("total strength:", "broji", "a force of")
contingent       a nation's share of a force (contingent, kontingjent, Kontingent, birlik)
compare          words before a bare number compared with an amount just before it ("160.9
                 billion dinars compared to 139.3"): it takes that amount's scale and currency
event_<kind>     words that make a dated sentence an event of that kind (reinforcement,
                 drawdown, visit, mandate, handover, deployment)
up_to            "up to" before troops to be sent: a ceiling
each             "each", "svaki": the size of each of several units
most             "the most", "najviše": the nation with the most owns the total
relative_pronoun "which", "koja": a relative clause gives a total to the mission
restated         "or", "odnosno", "ose": the same money said again (a share of GDP as an amount)
unit_label       a unit of a force (task force, battalion, bataljon): its size is not the force's
rotation         "contingent", "rotacija" after an ordinal: one rotation, not all who served
in_year          "in", "u", "në" before a year of a series ("in 1999 33,000, in 2002 16,000")
conjunction      "and", "but", "dhe", "ali": where a number's clause ends
ordinal_article  "des", "zum": before "30." a German ordinal ("des 30. Kontingents")
genitive_suffix  "'s", Turkish "'nin": "ABD'nin KFOR bünyesinde 600 askerle" is the US's part
multinational    "multinational", "from 28 countries", "NATO troops": the figure is the whole force
number_of        "the number of", "le nombre de", "broj": before a troop noun, the subject of a
                 clause whose number comes later ("the number of soldiers was cut to 7,000")
peace_force      "the NATO-led peacekeeping force", "mirovne snage": a mission not named, whose
                 host is the country the article is about
ranked_after     "after", "dopo", "posle": the nation a contingent is ranked after
negation / not_yet / auxiliary   "not (yet) (been) adopted", "nuk u miratua", "nije još"
number_words     a dict: word -> value (used only with a scale word or a troop noun)
currencies       a dict: ISO code -> fragments (after or before the number)

To add a language: copy the module nearest to it, fill the categories (an empty list is
allowed), and add it to LANGUAGES below; country and month names come from CLDR.
"""
from __future__ import annotations

from . import de, en, fr, it, mk, sh, sq, tr

LANGUAGES = {"en": en, "sq": sq, "sh": sh, "mk": mk, "de": de, "fr": fr, "it": it, "tr": tr}


def merged() -> tuple[dict[str, list[str]], dict[str, float], dict[str, list[str]]]:
    """(category -> fragments, number word -> value, currency -> fragments), all languages."""
    words: dict[str, list[str]] = {}
    numbers: dict[str, float] = {}
    currencies: dict[str, list[str]] = {}
    for module in LANGUAGES.values():
        for category, fragments in module.WORDS.items():
            bucket = words.setdefault(category, [])
            bucket += [f for f in fragments if f not in bucket]
        numbers.update(getattr(module, "NUMBER_WORDS", {}))
        for code, fragments in getattr(module, "CURRENCIES", {}).items():
            currencies.setdefault(code, []).extend(fragments)
    return words, numbers, currencies
