"""Country names in every language the extractor reads: CLDR's names (through babel)
for the nations that have sent troops to the Balkan missions or own a budget in the
record, plus the adjectives and inflections CLDR does not list (talijanski, Italije,
amerikan, britanskih), which real reporting uses as often as the names.

A CLDR name becomes a stem when it ends in a vowel and is long enough that its stem
cannot be another word ("Italija" -> "itali\\w*" reads Italije, Italiji, Italijom);
shorter names are matched whole, with their endings.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale

from .text import transliterate

LOCALES = ("en", "sq", "sr", "sr_Latn", "bs", "hr", "mk", "de", "fr", "it", "tr")
# ISO alpha-2 (CLDR's key) -> alpha-3, for the nations that appear in the record or the
# missions' contributor lists; XK is CLDR's code for Kosovo (XKX in the record).
NATIONS = {
    "XK": "XKX", "BA": "BIH", "RS": "SRB", "AL": "ALB", "MK": "MKD", "ME": "MNE", "HR": "HRV",
    "SI": "SVN", "US": "USA", "IT": "ITA", "DE": "DEU", "FR": "FRA", "GB": "GBR", "TR": "TUR",
    "HU": "HUN", "AT": "AUT", "PL": "POL", "GR": "GRC", "CH": "CHE", "RO": "ROU", "BG": "BGR",
    "CZ": "CZE", "SK": "SVK", "DK": "DNK", "FI": "FIN", "IE": "IRL", "SE": "SWE", "NO": "NOR",
    "CA": "CAN", "ES": "ESP", "NL": "NLD", "BE": "BEL", "LU": "LUX", "PT": "PRT", "LV": "LVA",
    "LT": "LTU", "EE": "EST", "AM": "ARM", "MD": "MDA", "UA": "UKR", "MA": "MAR", "RU": "RUS",
    "AZ": "AZE", "GE": "GEO", "CL": "CHL", "AR": "ARG", "IS": "ISL", "JO": "JOR", "AE": "ARE",
    "NZ": "NZL", "MN": "MNG",
}
# What CLDR lacks: adjectives, short forms and common inflections, all languages together.
EXTRA = {
    "XKX": [r"kosov\w*", r"pri[sš]tin\w*", r"prishtin\w*"],
    "BIH": [r"bosn\w*", r"bih\b", r"sarajev\w*", r"bosnje\w*", r"bosanskohercegova\w*"],
    "SRB": [r"serbi\w*", r"srbij\w*", r"srpsk\w*", r"serb\w*", r"beograd\w*", r"belgrad\w*",
            r"sırbistan\w*"],
    "ALB": [r"albani\w*", r"shqip\w*", r"albanij\w*", r"albansk\w*", r"arnavutluk\w*"],
    "MKD": [r"north macedonia\w*", r"macedonia\w*", r"maqedoni\w*", r"makedonij\w*",
            r"makedonsk\w*", r"makedonci\w*", r"maqedonas\w*", r"mazedon\w*", r"mac[eé]doin\w*", r"macedon\w*"],
    "MNE": [r"montenegr\w*", r"crn\w* gor\w*", r"mal\w* (?:i|e|t[eë]) zi\w*", r"crnogorsk\w*",
            r"malazez\w*"],
    "HRV": [r"croat\w*", r"hrvatsk\w*", r"kroaci\w*", r"kroat\w*", r"hırvatistan\w*",
            r"rh\b"],  # "Republika Hrvatska", as Croatian outlets write it: "proračun RH"
    "SVN": [r"sloven\w*", r"slowen\w*", r"slov[eè]ne\w*"],
    "USA": [r"us\b", r"u\.s\.", r"usa\b", r"united states", r"american\w*", r"sad\b",
            r"shba\w*", r"shtet\w* e bashkuar\w*", r"shtet\w* t[eë] bashkuar\w*", r"amerik\w*", r"ameri[cč]k\w*", r"sjedinjen\w* (?:ameri[cč]k\w* )?dr[zž]av\w*",
            r"us-\w*", r"abd\b", r"am[eé]ricain\w*"],
    "ITA": [r"ital\w*", r"talijan\w*", r"italijan\w*"],
    "DEU": [r"german\w*", r"gjerman\w*", r"njema[cč]\w*", r"nema[cč]\w*", r"deutsch\w*",
            r"bundeswehr\w*", r"allemand\w*", r"tedesc\w*", r"alman\w*", r"germanij\w*",
            r"germansk\w*"],
    "FRA": [r"french\w*", r"fran[cçk]\w*", r"francus\w*", r"franc[eë]\w*", r"fransa\w*", r"francij\w*", r"franz[oö]s\w*"],
    "GBR": [r"united kingdom", r"britain", r"british", r"uk\b", r"britani\w*", r"britansk\w*",
            r"mbret[eë]ri\w* e bashkuar", r"brit\w*", r"ingl\w*", r"engl\w*", r"royaume-uni",
            r"velik\w* britanij\w*", r"ingiltere\w*"],
    "TUR": [r"turk\w*", r"t[üu]rkiye\w*", r"turq\w*", r"turs\w*", r"türk\w*", r"turc\w*"],
    "HUN": [r"hungar\w*", r"ma[dđ]ar\w*", r"madjar\w*", r"ungar\w*", r"hongr\w*", r"ungher\w*",
            r"hamshor\w*", r"macar\w*", r"ungari\w*"],
    "AUT": [r"austri\w*", r"[oö]sterreich\w*", r"autrich\w*", r"avstri\w*", r"bundesheer\w*"],
    "POL": [r"polan\w*", r"polish", r"poljsk\w*", r"polon\w*", r"pol\w*sk\w*", r"pologne\w*",
            r"polsk\w*", r"polnisch\w*", r"polacc\w*", r"polak[eë]\b"],
    "GRC": [r"greece", r"greek", r"gr[cč]k\w*", r"greqi\w*", r"grek\w*", r"grec\w*",
            r"griechen\w*", r"griechisch\w*", r"yunan\w*"],
    "CHE": [r"switzerland", r"swiss\w*", r"[sš]vicar\w*", r"zvicr\w*", r"[sš]vajcar\w*",
            r"schweiz\w*", r"suisse\w*", r"svizzer\w*", r"isvi[cç]re\w*", r"swisscoy"],
    "ROU": [r"romani\w*", r"rumun\w*", r"rumani\w*", r"roumain\w*", r"roumani\w*", r"rum[aä]n\w*",
            r"rumen[io]\b"],
    "BGR": [r"bulgari\w*", r"bugar\w*", r"bullgari\w*", r"bulgar\w*"],
    "CZE": [r"czech republic", r"czech\w*", r"[cč]e[sš]k\w*", r"[cç]eki(?:a|s[eë]|n[eë])?", r"tschech\w*", r"tch[eè]qu\w*"],
    "SVK": [r"slovak\w*", r"slova[cč]k\w*", r"sllovaki\w*"],
    "DNK": [r"denmark", r"danish", r"dansk\w*", r"danimark\w*", r"d[aä]nemark\w*", r"d[aä]nisch\w*",
            r"danez[eë]?\b"],
    "FIN": [r"finland\w*", r"finnish", r"finsk\w*", r"finlandë?\w*", r"finn\w*"],
    "IRL": [r"ireland", r"irish", r"irsk\w*", r"irland\w*", r"irlande\w*", r"irisch\w*"],
    "SWE": [r"sweden", r"swedish", r"[sš]ved\w*", r"suedi\w*", r"schwed\w*", r"su[eè]d\w*"],
    "NOR": [r"norway", r"norwegian", r"norve[sš]k\w*", r"norvegji\w*", r"norweg\w*"],
    "CAN": [r"canad\w*", r"kanad\w*"],
    "ESP": [r"spain", r"spanish", r"[sš]panij\w*", r"[sš]pansk\w*", r"spanj\w*", r"spani\w*",
            r"espagn\w*"],
    "NLD": [r"netherlands", r"dutch", r"holand\w*", r"nizozemsk\w*", r"niederland\w*",
            r"pays-bas", r"olanda\w*"],
    "BEL": [r"belgi\w*", r"belgij\w*", r"belges?", r"belg[eë]\b"],
    "LUX": [r"luxemb\w*", r"luksemburg\w*"],
    "PRT": [r"portug\w*"],
    "LVA": [r"latvi\w*", r"letonij\w*", r"letoni\w*", r"lettland\w*"],
    "LTU": [r"lithuani\w*", r"litvanij\w*", r"lituani\w*", r"litauen\w*", r"litv[aeiou]\b"],
    "EST": [r"estoni\w*", r"estonij\w*", r"estland\w*"],
    "ARM": [r"armeni\w*", r"jermen\w*", r"arm[eé]ni\w*"],
    "MDA": [r"moldov\w*", r"moldavij\w*"],
    "UKR": [r"ukrain\w*", r"ukrajin\w*", r"ukrayna\w*"],
    "MAR": [r"morocc\w*", r"maroko\w*", r"marok\w*", r"maroc\w*"],
    "RUS": [r"russia\w*", r"rusij\w*", r"rusk\w*", r"rusi\w*", r"russ\w*"],
}
NAME_STEM_MIN = 5  # shorter stems than this would match unrelated words (chil- in children)


def _stem(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip().lower().replace("i\u0307", "i"))
    stem = name.rstrip("aeiouëə")
    if len(stem) >= NAME_STEM_MIN and stem != name and " " not in name:
        return re.escape(stem) + r"\w*"
    if len(name) < NAME_STEM_MIN:
        # a short name takes no endings but after an apostrophe ("Fas'ta"): "fas\w*" read
        # Italian "fasi" (phases) as Morocco, "čile\w*" Albanian "cilët"
        return re.escape(name) + r"(?:['’]\w+)?(?!\w)"
    return re.escape(name) + r"\w*"


@lru_cache(maxsize=1)
def patterns() -> dict[str, list[str]]:
    """ISO alpha-3 -> regex fragments: CLDR names in every locale, then EXTRA."""
    table: dict[str, list[str]] = {code: list(EXTRA.get(code, [])) for code in NATIONS.values()}
    for locale in LOCALES:
        territories = Locale.parse(locale).territories
        for alpha2, alpha3 in NATIONS.items():
            name = territories.get(alpha2)
            if not name:
                continue
            latin = transliterate(name)[0]
            for written in (latin, _unaccented(latin)):
                fragment = _stem(written)
                if fragment not in table[alpha3] and len(written) >= 3 and (
                        written == latin or len(written) >= NAME_STEM_MIN):
                    table[alpha3].append(fragment)
    return table


def _unaccented(name: str) -> str:
    """The name as typed without diacritics, as much copy is ('Etats-Unis', 'Njemacka',
    'Cekia'): the accents' base letters; đ as dj."""
    name = name.replace("đ", "dj").replace("Đ", "Dj")
    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))
