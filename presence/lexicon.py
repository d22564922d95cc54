"""Words the extractor looks for, per language: English (en), Albanian (sq) and
Bosnian/Croatian/Montenegrin/Serbian (sh; Cyrillic is transliterated first).

Patterns are regex fragments matched case-insensitively at a word start; a
trailing \\w* takes the inflected forms (KFOR-i, Italije, ushtarët, vojnika).
../shared/REPORTING.md describes the phrasing these lists come from.
"""
from __future__ import annotations

import re
from bisect import bisect_right

MISSIONS = {
    "KFOR": [r"kfor(?:-?\w{0,3})?\b", r"kosovo force", r"forca e kosov\w*"],
    "EUFOR-ALTHEA": [r"eufor(?:-?\w{0,3})?\b", r"althea\w*", r"alte\w?a\b",
                     r"eu(?:-led)? (?:military )?force\b", r"european union force",
                     r"forca e be-s[eë]?\w*", r"snage eu\w*", r"evropske snage\w*"],
    "SFOR": [r"sfor(?:-?\w{0,3})?\b", r"stabili[sz]ation force"],
    "IFOR": [r"ifor(?:-?\w{0,3})?\b", r"implementation force"],
}
HOST = {"KFOR": "XKX", "EUFOR-ALTHEA": "BIH", "SFOR": "BIH", "IFOR": "BIH"}

# Country names and adjectives, all languages together: stems are distinct enough.
COUNTRIES = {
    "XKX": [r"kosov\w*", r"kosov[eë]s?\w*", r"pri[sš]tin\w*", r"prishtin\w*"],
    "BIH": [r"bosn\w*", r"bih\b", r"bosnia and herzegovina", r"sarajev\w*", r"bosnje\w*"],
    "SRB": [r"serbi\w*", r"srbij\w*", r"srpsk\w*", r"serb[eë]\w*", r"beograd\w*", r"belgrade"],
    "ALB": [r"albani\w*", r"shqip\w*", r"albanij\w*", r"albansk\w*"],
    "MKD": [r"north macedonia\w*", r"macedonia\w*", r"maqedoni\w*", r"makedonij\w*",
            r"severn\w* makedonij\w*"],
    "MNE": [r"montenegr\w*", r"crn\w* gor\w*", r"mal\w* i zi\w*", r"crnogorsk\w*"],
    "HRV": [r"croatia\w*", r"hrvatsk\w*", r"kroaci\w*"],
    "SVN": [r"sloveni\w*", r"slovenij\w*", r"slovensk\w*"],
    "USA": [r"us\b", r"u\.s\.", r"usa\b", r"united states", r"american\w*", r"sad\b",
            r"shba\b", r"amerik\w*", r"amerikan\w*", r"sjedinjen\w* (?:američk|americk)\w* "
            r"dr[zž]av\w*"],
    "ITA": [r"ital\w*", r"italij\w*", r"italian\w*", r"itali[ae]n\w*"],
    "DEU": [r"german\w*", r"gjerman\w*", r"njema[cč]\w*", r"nema[cč]\w*", r"deutsch\w*"],
    "FRA": [r"fran[cck]\w*", r"francus\w*", r"franc[eë]\w*"],
    "GBR": [r"united kingdom", r"britain", r"british", r"uk\b", r"britani\w*", r"britansk\w*",
            r"mbret[eë]ri\w* e bashkuar"],
    "TUR": [r"turk\w*", r"t[üu]rkiye", r"turq\w*", r"turs\w*"],
    "HUN": [r"hungar\w*", r"hungari\w*", r"ma[dđ]arsk\w*", r"madjarsk\w*"],
    "AUT": [r"austri\w*", r"austrij\w*", r"austrijsk\w*"],
    "POL": [r"polan\w*", r"polish", r"poljsk\w*", r"polon\w*"],
    "GRC": [r"greece", r"greek", r"grčk\w*", r"grck\w*", r"greqi\w*"],
    "CHE": [r"switzerland", r"swiss", r"[sš]vicarsk\w*", r"zvicr\w*", r"švajcarsk\w*",
            r"svajcarsk\w*"],
    "ROU": [r"romani\w*", r"rumunij\w*", r"rumunsk\w*", r"rumani\w*"],
    "BGR": [r"bulgari\w*", r"bugarsk\w*", r"bullgari\w*"],
    "CZE": [r"czech\w*", r"[cč]e[sš]k\w*", r"[cç]eki\w*"],
    "DNK": [r"denmark", r"danish", r"dansk\w*", r"danimark\w*"],
    "FIN": [r"finland\w*", r"finnish", r"finsk\w*", r"finlandë?\w*"],
    "IRL": [r"ireland", r"irish", r"irsk\w*", r"irland\w*"],
    "SWE": [r"sweden", r"swedish", r"[sš]vedsk\w*", r"suedi\w*"],
    "NOR": [r"norway", r"norwegian", r"norve[sš]k\w*", r"norvegji\w*"],
    "CAN": [r"canad\w*", r"kanad\w*"],
    "ESP": [r"spain", r"spanish", r"[sš]panij\w*", r"[sš]pansk\w*", r"spanj\w*"],
    "NLD": [r"netherlands", r"dutch", r"holandij\w*", r"holandsk\w*", r"holand\w*",
            r"nizozemsk\w*"],
    "BEL": [r"belgi\w*", r"belgij\w*"],
    "LUX": [r"luxembourg\w*", r"luksemburg\w*"],
    "PRT": [r"portug\w*"],
    "LVA": [r"latvi\w*", r"letonij\w*", r"letoni\w*"],
    "LTU": [r"lithuani\w*", r"litvanij\w*", r"lituani\w*"],
    "EST": [r"estoni\w*", r"estonij\w*"],
    "ARM": [r"armeni\w*", r"jermenij\w*", r"armenij\w*"],
    "MDA": [r"moldov\w*", r"moldavij\w*"],
    "UKR": [r"ukrain\w*", r"ukrajin\w*", r"ukrain[eë]\w*"],
    "MAR": [r"morocc\w*", r"maroko\w*", r"marok\w*"],
    "RUS": [r"russia\w*", r"rusij\w*", r"rusk\w*", r"rusi\w*"],
}

TROOP_NOUNS = [
    # en
    r"troops?", r"soldiers?", r"personnel", r"peacekeepers?", r"servicem[ae]n", r"members?",
    r"military personnel", r"men and women", r"strong",
    # sq
    r"trupa\w*", r"ushtar\w*", r"pjes[eë]tar\w*", r"paqeruajt[eë]s\w*", r"personel\w*",
    # sh
    r"vojnik\w*", r"vojnic\w*", r"pripadni\w*", r"mirovnja\w*", r"trupe?\b", r"osoblj\w*",
    r"ljudi",
]

SCALE = {
    1e3: [r"thousand", r"mij[eë]", r"hiljad\w*", r"tisu[cć]\w*", r"хиљад\w*", r"hiljadu"],
    1e6: [r"million\w*", r"milion\w*", r"milijun\w*", r"mln\.?", r"mil\.", r"m\b"],
    1e9: [r"billion\w*", r"bn\b", r"miliard\w*", r"milijard\w*"],
}

CURRENCIES = {
    "EUR": [r"euro\w*", r"eur\b", r"€", r"evr\w*", r"eura"],
    "USD": [r"us dollars?", r"dollars?", r"usd\b", r"\$", r"dolar\w*", r"dollar[eë]\w*"],
    "RSD": [r"dinar\w*", r"rsd\b"],
    "BAM": [r"km\b", r"konvertibiln\w* mar\w*", r"maraka", r"bam\b"],
    "ALL": [r"lek[eë]?\b", r"lek[eë]ve"],
    "HRK": [r"kun[ae]?\b", r"kn\b", r"hrk\b"],
    "MKD": [r"denar\w*", r"mkd\b"],
}

BUDGET_WORDS = [r"budget\w*", r"bud[zž]et\w*", r"buxhet\w*", r"defen[cs]e spending",
                r"military (?:expenditure|spending)", r"ministry of defen[cs]e",
                r"ministri\w* e mbrojtjes", r"ministarstv\w* (?:odbrane|obrane)",
                r"za (?:odbranu|obranu)", r"izdvaja\w*", r"shpenzim\w* (?:p[eë]r|ushtarak)\w*",
                r"p[eë]r mbrojtje\w*", r"vojn\w* bud[zž]et\w*", r"defen[cs]e budget\w*",
                r"(?:on|for|to) defen[cs]e", r"za odbran\w*", r"za obran\w*"]
CAPACITY_BEFORE = [r"house", r"hold", r"accommodate", r"capacity (?:of|for)", r"kapacitet\w*"]

# A number next to these is a change, not a level.
INCREMENT_BEFORE = [r"additional", r"another", r"extra", r"further", r"by", r"dodatn\w*",
                    r"jo[sš]", r"za", r"edhe", r"p[eë]r", r"up by", r"rise of", r"increase of",
                    r"rritje (?:prej|me)", r"pove[cć]an\w* za", r"shtes[eë]"]
INCREMENT_AFTER = [r"more", r"additional", r"extra", r"shtes[eë]\w*", r"m[eë] shum[eë]",
                   r"vi[sš]e (?:nego|od)", r"dodatn\w*", r"reinforc\w*"]
NOT_PRESENCE = [r"in europe", r"across europe", r"n[eë] evrop[eë]", r"u evrop\w*",
                r"na evropskom", r"worldwide", r"injured", r"wounded", r"killed", r"hurt",
                r"plagos\w*", r"l[eë]ndua\w*", r"povrije[dđ]en\w*", r"povre[dđ]en\w*",
                r"ranjen\w*", r"poginu\w*", r"can house", r"capacity", r"kapacitet\w*",
                r"used to house"]
OWN_FORCES = [r"kosovo security force", r"\bksf\b", r"\bfsk\b", r"forc\w* e siguris\w*",
              r"kosovsk\w* bezbednosn\w* snag\w*", r"ushtri\w* e kosov\w*",
              r"oru[zž]an\w* snag\w*", r"vojsk\w* srbij\w*", r"armed forces"]
PREDECESSOR_BEFORE = [r"from", r"od", r"nga", r"replac\w*", r"zamijeni\w*", r"zameni\w*",
                      r"succeed\w*", r"took over from", r"preuze\w* (?:od|dužnost od)"]
COUNT_NOUNS = [r"countries", r"nations", r"states", r"troop contributing nations",
               r"vend\w*", r"shtet\w*", r"zemal\w*", r"zemlj\w*", r"dr[zž]av\w*", r"camps?",
               r"bases?", r"kamp\w*", r"baz\w*", r"years?", r"vjet\w*", r"godin\w*",
               r"percent", r"per ?cent", r"odsto", r"posto", r"procen\w*", r"p[eë]r qind",
               r"%", r"km\b"]
TOTAL_WORDS = [r"total", r"in all", r"ukupno", r"gjithsej", r"n[eë] total", r"overall",
               r"skupaj"]
OF_WHICH = [r"of which", r"of whom", r"od kojih", r"prej tyre", r"nga t[eë] cil[eë]t",
            r"including", r"among them", r"mes tyre"]

QUALIFIERS = {
    "approx": [r"around", r"about", r"approximately", r"some", r"roughly", r"circa", r"ca\.",
               r"rreth", r"afro", r"p[eë]raf[eë]rsisht", r"oko", r"pribli[zž]no", r"otprilike",
               r"cca\.?"],
    "upper": [r"nearly", r"almost", r"just under", r"up to", r"close to", r"gati", r"thuajse",
              r"afër", r"af[eë]r", r"deri n[eë]", r"gotovo", r"skoro", r"nešto manje od",
              r"ne[sš]to manje od", r"do"],
    "lower": [r"more than", r"over", r"well over", r"at least", r"upwards of", r"upward of",
              r"mbi", r"m[eë] shum[eë] se", r"t[eë] pakt[eë]n", r"vi[sš]e od", r"preko",
              r"najmanje", r"tejkalon"],
}

MONTHS = {
    1: [r"january", r"jan\.?", r"janar\w*", r"januar\w*", r"siječ\w*", r"sijec\w*"],
    2: [r"february", r"feb\.?", r"shkurt\w*", r"februar\w*", r"veljač\w*", r"veljac\w*"],
    3: [r"march", r"mar\.", r"mars\w*", r"mart\w*", r"ožuj\w*", r"ozuj\w*"],
    4: [r"april\w*", r"apr\.", r"prill\w*", r"trav\w*"],
    5: [r"may", r"maj\w*", r"svib\w*"],
    6: [r"june", r"jun\.?", r"qershor\w*", r"jun\w*", r"lip\w*"],
    7: [r"july", r"jul\.?", r"korrik\w*", r"jul\w*", r"srp\w*"],
    8: [r"august", r"aug\.", r"gusht\w*", r"avgust\w*", r"august\w*", r"kolovoz\w*"],
    9: [r"september", r"sept?\.", r"shtator\w*", r"septemb\w*", r"rujn?\w*"],
    10: [r"october", r"oct\.", r"tetor\w*", r"oktob\w*", r"listopad\w*"],
    11: [r"november", r"nov\.", r"n[eë]ntor\w*", r"novemb\w*", r"studen\w*"],
    12: [r"december", r"dec\.", r"dhjetor\w*", r"decemb\w*", r"prosin\w*"],
}

EVENT_TRIGGERS = {
    "reinforcement": [r"increase the number", r"increase (?:its|the) (?:forces|troops|presence)",
                      r"reinforc\w*", r"send (?:additional|extra|more)",
                      r"deploy\w* (?:of )?(?:additional|extra)", r"activat\w* (?:its |the )?reserve\w*",
                      r"p[eë]rforc\w*", r"rrit\w* (?:numrin|pranin)\w*", r"poja[cč]a\w*",
                      r"pove[cć]a\w* broj\w*", r"dodatn\w* (?:vojnik|snag|trup)\w*"],
    "drawdown": [r"reduc\w* (?:the number|its|troops)", r"withdraw\w*", r"drawdown", r"cut\w* (?:to|troops)",
                 r"t[eë]rhe\w*", r"zvog[eë]l\w*", r"smanj\w*", r"povla[cč]\w*"],
    "visit": [r"visit\w*", r"vizit\w*", r"pose[tć]\w*", r"posjet\w*", r"boravi\w*"],
    "mandate": [r"mandate", r"mandat\w*", r"resolution", r"rezolucij\w*", r"rezolut\w*"],
    "handover": [r"took over", r"takes over", r"hand\w* over", r"handover", r"preuze\w*",
                 r"mori p[eë]rsip[eë]r"],
    "deployment": [r"deployed", r"arriv\w*", r"bashku\w*", r"joined", r"pridru\w*", r"mb[eë]rrit\w*", r"stig\w*", r"raspoređen\w*",
                   r"rasporeden\w*"],
}

YEAR_CONTEXT_SINCE = [r"since", r"që nga", r"qe nga", r"nga viti", r"od", r"sejak", r"from"]
RELATIVE_YEARS = {
    -1: [r"last year", r"the previous year", r"vitin e kaluar", r"vitit t[eë] kaluar",
         r"prošle godine", r"prosle godine", r"prethodne godine", r"lani"],
    0: [r"this year", r"sivjet", r"k[eë]t[eë] vit", r"ove godine", r"ovogodiš\w*",
        r"ovogodis\w*"],
    1: [r"next year", r"vitin e ardhsh\w*", r"vitit t[eë] ardhsh\w*", r"naredne godine",
        r"iduće godine", r"iduce godine", r"sljedeće godine", r"sledeće godine"],
}
PRESENT = [r"today", r"now", r"currently", r"at present", r"presently", r"trenutno", r"sada",
           r"danas", r"aktualisht", r"tani", r"sot", r"tash\w*"]
HISTORIC_UNDATED = [r"at (?:its|the) (?:peak|height)", r"once", r"used to", r"n[eë] kulm\w*",
                    r"na vrhuncu", r"nekada", r"nekad", r"dikur", r"u jednom trenutku"]
FUTURE_PLAN = [r"will be (?:cut|reduced|brought down)", r"will bring", r"would bring", r"to be (?:cut|reduced)", r"plan\w* to",
               r"target", r"do kraja", r"deri n[eë] fund", r"by the end of"]

_CYR = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ",
                ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m",
                 "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
                 "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J", "K", "L", "Lj", "M",
                 "N", "Nj", "O", "P", "R", "S", "T", "Ć", "U", "F", "H", "C", "Č", "Dž", "Š"]))
# Macedonian letters seen in regional copy
_CYR.update({"ѓ": "gj", "ќ": "kj", "ѕ": "dz", "Ѓ": "Gj", "Ќ": "Kj", "Ѕ": "Dz"})


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TABLE = str.maketrans(_CYR)
_MULTI = re.compile("[" + "".join(k for k, v in _CYR.items() if len(v) > 1) + "]")


def transliterate(text: str):
    """Serbian/Macedonian Cyrillic to Latin, and a function mapping offsets back.

    Returns (text, None) when there is no Cyrillic, so the common case costs
    nothing. A few letters become two (љ -> lj); the map undoes that shift.
    """
    if not _CYRILLIC.search(text):
        return text, None
    extras, shift = [], 0
    for m in _MULTI.finditer(text):
        extras.append(m.start() + shift + 1)
        shift += 1

    def original(i: int) -> int:
        return i - bisect_right(extras, i)

    return text.translate(_TABLE), original
