"""The extractor's named capabilities, each on sentences written for these tests, and its
score on the real-text corpus beside the project (../shared/corpus), when it is there.

The sentences below are ours, modelled on how regional reporting phrases figures (lists,
tables, changes, plans, units written once); the corpus is other people's text and is
only read, never copied.
"""
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from presence.desk.evaluate import corpus_files, evaluate_corpus
from presence.desk.extract import explain, extract

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "gold.json").exists(),
                                  reason="../shared/corpus (the real-text corpus) is not beside "
                                         "the project")
FIGURES = {"troop_strength", "troop_contribution", "defence_budget"}
DAY = dt.datetime(2025, 4, 25)


def facts(text, title="", day=DAY):
    return {(c.kind, c.mission, c.contributor, c.as_of, c.value, c.unit)
            for c in extract(text, day, title) if c.kind in FIGURES}


def test_a_list_pairs_each_number_with_its_own_country():
    text = ("KFOR's largest contingents are those of Italy (1,258 soldiers), "
            "Hungary (365), Turkey (325) and Germany (269).")
    got = facts(text)
    assert {(c, v) for k, m, c, _, v, _ in got if k == "troop_contribution"} == {
        ("ITA", 1258), ("HUN", 365), ("TUR", 325), ("DEU", 269)}
    assert all(m == "KFOR" and d == "2025-04-25" for _, m, _, d, _, _ in got)


def test_a_two_column_placemat_continues_line_after_line_and_ends_in_its_total():
    text = ("KFOR Key Facts, March 2024\n\nTroop contributions\n\n"
            "Albania 90 Austria 160\nCanada 5 Croatia 30\nItaly 1,150 Poland 240\n"
            "Denmark 35 252\nTotal 4,500\n")
    got = facts(text, title="Kosovo Force (KFOR)")
    nations = {(c, v) for k, _, c, _, v, _ in got if k == "troop_contribution"}
    # "Denmark 35 252": the second column's name was lost; no nation sent 35,252
    assert nations == {("ALB", 90), ("AUT", 160), ("CAN", 5), ("HRV", 30), ("ITA", 1150),
                       ("POL", 240), ("DNK", 35)}
    assert ("troop_strength", "KFOR", None, "2024-03", 4500, "troops") in got


def test_a_table_with_one_cell_a_line_reads_the_country_row():
    text = ("Nations in the force (EUFOR)\nCountry\nSoldiers\nPolice\nTotal\n"
            "Austria\n300\n0\n300\nSwitzerland\n190\n0\n190\nTotal\n490\n0\n490\n")
    got = facts(text)
    assert {(c, v) for k, _, c, _, v, _ in got} == {("AUT", 300), ("CHE", 190), (None, 490)}


def test_a_change_is_not_a_level_and_its_current_end_is():
    got = facts("By June the alliance will cut its current SFOR of 12,000 troops to 7,000.",
                day=dt.datetime(2004, 1, 10))
    assert {v for *_, v, _ in got} == {12000}  # the plan's target is not a level
    assert facts("KFOR was reduced from 17,000 to 10,000 troops last year.",
                 day=dt.datetime(2010, 6, 1)) == {
        ("troop_strength", "KFOR", None, "2009", 10000, "troops")}
    assert facts("NATO sends 200 more soldiers to KFOR.") == set()
    assert facts("Germany will send a company of 150 soldiers to EUFOR next month.") == set()


def test_a_level_in_every_language_read():
    cases = {
        "Мисијата ЕУФОР брои околу 1.100 војници.": ("EUFOR-ALTHEA", None, 1100),
        "Die KFOR umfasst derzeit rund 4.500 Soldaten.": ("KFOR", None, 4500),
        "La KFOR compte actuellement 4 500 militaires.": ("KFOR", None, 4500),
        "La missione KFOR conta circa 4.500 militari.": ("KFOR", None, 4500),
        "KFOR'da halen 4.500'ün üzerinde asker bulunuyor.": ("KFOR", None, 4500),
        "U KFOR-u trenutno služi 850 talijanskih vojnika.": ("KFOR", "ITA", 850),
        "Misioni paqeruajtës i NATO-s në Kosovë ka rreth katër mijë ushtarë.": ("KFOR", None, 4000),
    }
    for text, (mission, nation, value) in cases.items():
        got = {(m, c, v) for _, m, c, _, v, _ in facts(text)}
        assert (mission, nation, value) in got, (text, got)


def test_amounts_are_normalised_and_the_unit_written_once_carries():
    got = facts("Buxheti i Ministrisë së Mbrojtjes së Kosovës për vitin 2024 është 18 milionë "
                "e 819 mijë e 805 euro.")
    assert ("defence_budget", None, "XKX", "2024", 18_819_805, "EUR") in got
    text = ("Prema SIPRI-ju, vojni izdaci Srbije u 2023. iznosili su 1,4 milijardi dolara, "
            "Albanije 400 miliona, a Crne Gore 120.")
    got = {(c, y, v, u) for _, _, c, y, v, u in facts(text)}
    assert got == {("SRB", "2023", 1.4e9, "USD"), ("ALB", "2023", 4e8, "USD"),
                   ("MNE", "2023", 1.2e8, "USD")}


def test_the_year_is_anchored_to_the_text_not_only_the_date_line():
    day = dt.datetime(2025, 2, 1)
    assert facts("Prošle godine budžet Ministarstva odbrane BiH iznosio je 300 miliona KM.",
                 day=day) == {("defence_budget", None, "BIH", "2024", 3e8, "BAM")}
    assert facts("Buxheti i mbrojtjes për vitin e kaluar ishte 220 milionë euro në Kosovë.",
                 day=day) == {("defence_budget", None, "XKX", "2024", 2.2e8, "EUR")}


def test_other_money_shares_and_drafts_are_not_budgets():
    day = dt.datetime(2025, 10, 1)
    for text in ["The draft budget proposes 190 million euros for Montenegro's defence in 2026.",
                 ("Serbia's interior ministry gets 1.1 billion euros, its defence ministry "
                 "a share of 2.2 percent of GDP."),
                 "Albania bought helicopters for 60 million euros from its defence budget.",
                 "Since 2017 Montenegro has spent more than 700 million euros on defence."]:
        assert facts(text, day=day) == set(), text


def test_a_list_with_s_items_written_thousands_and_a_plan_before_it():
    """'Italija s 2.000': 's' (with) joins a country to its number, a number written with a
    thousands separator is never a year, and a country after a comma starts the next item
    instead of owning the number before it. A plan word before a list's first item covers
    the whole list, also when the sentence is hard-wrapped after a one-letter word."""
    day = dt.datetime(2025, 4, 25)
    text = ("Najviše vojnika u KFOR-u trenutno imaju Italija s 1.100, Mađarska s 2.000, "
            "Poljska s 250 i Austrija s 180 vojnika.")
    assert {(c, v) for k, _, c, _, v, _ in facts(text, day=day)} == {
        ("ITA", 1100), ("HUN", 2000), ("POL", 250), ("AUT", 180)}
    text = ("Zemlje NATO-a poslat će vojnike u KFOR - Njemačka s 900, Italija s\n"
            "oko 700, Poljska s 300 i Grčka s 120 vojnika.")
    assert facts(text, day=day) == set()


def test_a_year_after_an_amount_across_a_comma_is_the_next_amounts():
    """'In 2015 the budget was 41.5 million, in 2016 44.2 million': a series of years and
    amounts, each year before its own amount."""
    text = ("Në vitin 2015, buxheti i Ministrisë së Mbrojtjes së Kosovës ishte 41,500,000 euro, "
            "në vitin 2016 në 44,200,000 euro.")
    assert facts(text, day=dt.datetime(2021, 4, 25)) == {
        ("defence_budget", None, "XKX", "2015", 41.5e6, "EUR"),
        ("defence_budget", None, "XKX", "2016", 44.2e6, "EUR")}


def test_whose_and_when_rules_from_the_sixth_fresh_set():
    """Capabilities a fresh set of real texts showed missing, each on sentences of ours."""
    day = dt.datetime(2024, 5, 1)
    # the nation a contingent ranks after is a comparison, not its owner
    assert facts("Germany is the second largest contributor to KFOR after Italy, with about "
                 "400 soldiers.", day=day) == {
        ("troop_contribution", "KFOR", "DEU", "2024-05-01", 400, "troops")}
    # what a unit usually numbers is not a count
    for text in ["U KFOR-u, jedna četa obično ima oko 150 vojnika, rekao je oficir.",
                 "Një kompani e KFOR-it zakonisht ka rreth 120 ushtarë."]:
        assert facts(text, day=day) == set(), text
    # a bare year far after the number, past its clause, dates another thing
    text = ("KFOR has 4,000 troops from 28 nations in Kosovo, which it keeps safe together "
            "with the local police, as UN Security Council resolution 1244 of 1999 provides.")
    assert facts(text, day=day) == {("troop_strength", "KFOR", None, "2024-05-01", 4000, "troops")}
    # a long sentence after a dated list is no list's total line: it takes the date line
    text = ("KFOR contingents in June 2019:\nItaly: 540\nGermany: 400\nIn the weeks since, the "
            "German contingent has been patrolling the north of Kosovo and counts 350 soldiers.")
    assert ("troop_contribution", "KFOR", "DEU", "2019-09-01", 350, "troops") in \
        facts(text, day=dt.datetime(2019, 9, 1))


def test_money_rules_from_the_sixth_fresh_set():
    day = dt.datetime(2024, 3, 1)
    # "currently" is the date line's year, whatever year the title promises
    assert facts("Albania's defence budget is currently 30 billion lekë.",
                 title="Albania promises 2% of GDP for defence in 2024",
                 day=dt.datetime(2023, 7, 1)) == {
        ("defence_budget", None, "ALB", "2023", 3e10, "ALL")}
    # words before an amount end before its currency sign
    got = extract("Kosovo's defence budget for 2025 is about €150 million.", day, "")
    assert [(c.value, c.qualifier) for c in got if c.kind == "defence_budget"] == [
        (1.5e8, "approx")]
    assert facts("Kosovo's defence budget for 2025 will increase by €15 million.", day=day) == set()
    # defence and security together, a need, an impossible sum: not a defence budget
    for text in ["Kosovo's government set aside 400 million euros for defence and security in 2024.",
                 "Kosovo's army needs a budget of 6 billion euros, the opposition leader said.",
                 "Ushtrisë së Kosovës i duhen 900 milionë euro buxhet për mbrojtjen, tha ai."]:
        assert facts(text, day=day) == set(), text
    # a relative year in the locative case
    assert facts("Crna Gora je u prošloj godini izdvojila za odbranu 106 miliona eura.",
                 day=day) == {("defence_budget", None, "MNE", "2023", 1.06e8, "EUR")}


def test_rules_from_the_seventh_fresh_set():
    """Capabilities a seventh fresh set of real texts showed missing, on sentences of ours."""
    day = dt.datetime(2015, 3, 1)
    # country names typed without their accents ("Etats-Unis"), and "belge"
    text = ("La Belgique est au 5e rang des pays contributeurs de la KFOR, derrière "
            "l'Allemagne (900), les Etats-Unis (700) et l'Autriche (500).")
    assert {(c, v) for _, _, c, _, v, _ in facts(text, day=day)} == {
        ("DEU", 900), ("USA", 700), ("AUT", 500)}
    # the level a change ends at is dated by the end of the period the sentence gives
    text = ("Le contingent belge de la KFOR est passé de 600 à 250 militaires entre janvier "
            "2014 et mars 2015.")
    assert facts(text, day=day) == {("troop_contribution", "KFOR", "BEL", "2015-03", 250, "troops")}
    # a part of a nation's whole abroad is that nation's; the whole is troops elsewhere
    text = "Some 600 Polish soldiers serve in foreign missions, including 250 in NATO's KFOR."
    assert facts(text, day=day) == {("troop_contribution", "KFOR", "POL", "2015-03-01", 250, "troops")}
    # money for a period of years, an increase written after the amount, a sum foreseen
    for text in ["In total, Albania's defence investment programme for the 2024-2030 period "
                 "reaches almost 700 million euros.",
                 "Serbia's defence budget in the period until 2020 was 977 million euros.",
                 "Montenegro announced a €12 million increase in its 2015 defence budget.",
                 "Shuma e paraparë për Ministrinë e Mbrojtjes së Kosovës është mbi 60 milionë euro."]:
        assert facts(text, day=day) == set(), text


def test_clauses_regions_and_present_amounts_from_the_seventh_fresh_set():
    day = dt.datetime(2019, 5, 2)
    # a plan word in a later clause does not make the current budget a plan; "ćemo" does
    assert facts("Trenutni budžet Ministarstva odbrane Crne Gore iznosi oko 70 miliona eura "
                 "godišnje, a on će narednih godina rasti.", day=day) == {
        ("defence_budget", None, "MNE", "2019", 7e7, "EUR")}
    assert facts("Imat ćemo najmanje 90 miliona eura za odbranu Crne Gore, rekao je ministar.",
                 day=day) == set()
    # "in the region" followed by the mission that says which region
    assert facts("Altogether some 240 Slovenian soldiers are serving in the region with the "
                 "contingent of the NATO-led Kosovo Force.", day=day) == {
        ("troop_contribution", "KFOR", "SVN", "2019-05-02", 240, "troops")}
    # marines are troops; marines moving into a place are a unit sent
    assert ("troop_contribution", "EUFOR-ALTHEA", "NLD", "2019-05-02", 150, "troops") in facts(
        "The Dutch contingent of EUFOR numbers 150 marines.", day=day)
    assert 200 not in {v for *_, v, _ in facts(
        "Of the 600 KFOR troops, 200 Marines are now moving into northern Kosovo.", day=day)}
    # Turkish: money spent on the army ("orduya ... harcadı")
    assert facts("SIPRI verilerine göre Karadağ, 2023 yılında orduya 150 milyon dolar harcadı.",
                 day=dt.datetime(2024, 5, 1)) == {("defence_budget", None, "MNE", "2023", 1.5e8, "USD")}
    # what a country spends now, beside a plan's future year
    assert facts("U 2022. za obranu ćemo trošiti 9,9 milijardi kuna, više od 7,1 milijarde kuna, "
                 "koliko Hrvatska trenutačno izdvaja.", day=day) == {
        ("defence_budget", None, "HRV", "2019", 7.1e9, "HRK")}


def test_parts_periods_and_strong_forces():
    """'N of whom' and 'dont N' parts, a year ending a period ('bis Mitte 2013'), what a
    force of a size is to do, 'compte encore', and 'French' as an English adjective."""
    day = dt.datetime(2012, 6, 1)
    assert facts("Der Bundestag beschloss, dass die rund 1.300 österreichischen Soldaten der KFOR "
                 "noch bis Mitte 2013 im Kosovo bleiben sollen.", day=day) == {
        ("troop_contribution", "KFOR", "AUT", "2012-06-01", 1300, "troops")}
    assert facts("Die insgesamt 6.000 Mann starke KFOR soll die Sicherheit im Kosovo garantieren.",
                 day=day) == {("troop_strength", "KFOR", None, "2012-06-01", 6000, "troops")}
    assert ("troop_strength", "KFOR", None, "2012-06-01", 5500, "troops") in facts(
        "KFOR now has 6,000 troops, 5,500 of whom are stationed in Kosovo.", day=day)
    assert ("troop_contribution", "KFOR", "FRA", "2012-06-01", 700, "troops") in facts(
        "KFOR has 6,000 soldiers, 700 of whom belong to the French armed forces.", day=day)
    assert facts("La KFOR compte encore 6 000 soldats de 30 pays.", day=day) == {
        ("troop_strength", "KFOR", None, "2012-06-01", 6000, "troops")}


def test_rules_from_the_eighth_fresh_set():
    day = dt.datetime(2020, 6, 1)
    # a resolution's number is no figure
    assert facts("KFOR, a NATO-led force of about 3,500 troops, works under UN Security Council "
                 "Resolution 1244.", day=day) == {
        ("troop_strength", "KFOR", None, "2020-06-01", 3500, "troops")}
    # "the beginning of the year" is not the mission's start
    assert facts("At the beginning of the year KFOR reduced its troops to 3,400 soldiers.",
                 day=day) == {("troop_strength", "KFOR", None, "2020-06-01", 3400, "troops")}
    # a national contingent's own name gives its nation
    assert facts("PKW KFOR numbers some 250 soldiers.", day=day) == {
        ("troop_contribution", "KFOR", "POL", "2020-06-01", 250, "troops")}
    # Kosovo's whole budget, and all who served
    assert facts("Nga 2.5 miliard euro të buxhetit të Kosovës për vitin 2020, Ministria e Mbrojtjes "
                 "ka 75 milionë euro.", day=day) == {
        ("defence_budget", None, "XKX", "2020", 7.5e7, "EUR")}
    assert facts("Përafërsisht 40 mijë ushtarë nga vende të ndryshme shërbyen në kuadër të KFOR-it.",
                 day=day) == set()
    # troops across the Western Balkans are a sum over missions
    assert facts("Currently, Romania has approximately 250 military personnel stationed in the "
                 "Western Balkans.", day=day) == set()


def test_units_already_there_and_short_country_names():
    day = dt.datetime(2023, 10, 3)
    # a short country name takes no endings: Turkish "Fas" (Morocco) is not Italian "fasi"
    assert facts("Nelle prime fasi l'operazione EUFOR contava circa 6.000 militari.", day=day) == {
        ("troop_strength", "EUFOR-ALTHEA", None, "2004-12", 6000, "troops")}
    # the soldiers a unit is sent to join, "already there", are a level
    assert facts("A Greek company is to be sent to Kosovo to join the 110 Greek soldiers already "
                 "there as part of KFOR.", day=day) == {
        ("troop_contribution", "KFOR", "GRC", "2023-10-03", 110, "troops")}
    # a "400-member contingent" counts troops, not members of an alliance
    assert ("troop_contribution", "KFOR", "GBR", "2023-10-03", 400, "troops") in facts(
        "Britain will add 200 soldiers to its existing 400-member contingent in KFOR.", day=day)
    # a sending in the next clause is the next number's; "bei der KFOR" is an object
    assert facts("Österreich stellt bei der KFOR rund 350 Soldaten und entsendet nun 100 weitere "
                 "Soldaten.", day=day) == {
        ("troop_contribution", "KFOR", "AUT", "2023-10-03", 350, "troops")}
    # the United States in the Albanian genitive; "of KFOR" after the noun is the whole force
    assert facts("Rreth 600 pjesëtarë ushtarakë të Shteteve të Bashkuara janë në mesin e rreth "
                 "3,800 pjesëtarëve të KFOR-it.", day=day) == {
        ("troop_contribution", "KFOR", "USA", "2023-10-03", 600, "troops"),
        ("troop_strength", "KFOR", None, "2023-10-03", 3800, "troops")}
    # a count of nations beside the number makes it the whole force's
    assert facts("Insgesamt beteiligen sich 28 Nationen mit 4000 Soldaten an der KFOR.",
                 title="Österreichs Soldaten im Kosovo", day=day) == {
        ("troop_strength", "KFOR", None, "2023-10-03", 4000, "troops")}


def test_rules_from_the_ninth_fresh_set():
    """Government and parliament pages: contingents by number, maxima, costs, mission lists."""
    day = dt.datetime(2019, 11, 1)
    # an English ordinal is no count; a maximum strength is a ceiling; francs are a cost
    for text in ["The soldiers of the 41st Hungarian KFOR contingent arrived in Pristina.",
                 "Zurzeit liegt der Höchstbestand an Schweizer Armeeangehörigen in der KFOR bei 190.",
                 "Das Budget für die bis zu 190 Armeeangehörigen beläuft sich auf 45 Millionen Franken.",
                 "Die 120-köpfige Infanteriekompanie des Bundesheeres ist Teil der KFOR."]:
        assert facts(text, day=day) == set(), text
    # the subject after the verb, before its contingent
    assert facts("Mit rund 300 Soldaten stellt Österreich das größte Kontingent in der EUFOR.",
                 day=day) == {("troop_contribution", "EUFOR-ALTHEA", "AUT", "2019-11-01", 300, "troops")}
    # "Joint Enterprise" is no joining; "the number of ... is N" says a strength
    assert facts("L'operazione Kfor, denominata Joint Enterprise, vede la partecipazione di circa "
                 "3800 soldati di 27 Paesi.", day=day) == {
        ("troop_strength", "KFOR", None, "2019-11-01", 3800, "troops")}
    assert facts("The total number of Irish troops currently serving in KFOR is 240.", day=day) == {
        ("troop_contribution", "KFOR", "IRL", "2019-11-01", 240, "troops")}
    # a list of missions: each number is its mission's and the nation's that sends it; a
    # mission elsewhere keeps its own number
    text = ("Ireland contributes 650 personnel to 12 missions. The main ones are UNIFIL, with 350 "
            "personnel, KFOR, in Kosovo, with 12 personnel, and EUFOR, the EU-led operation in "
            "Bosnia, with 5.")
    assert facts(text, day=day) == {
        ("troop_contribution", "KFOR", "IRL", "2019-11-01", 12, "troops"),
        ("troop_contribution", "EUFOR-ALTHEA", "IRL", "2019-11-01", 5, "troops")}


def test_rules_from_the_tenth_fresh_set():
    day = dt.datetime(2020, 6, 4)
    # "at its creation" after the number is the mission's start; a dash closes an aside whose
    # bare number borrows the noun ("– désormais 3600 –")
    assert facts("La KFOR, forte de 50 000 personnes à sa création – désormais 3600 –, réunit des "
                 "soldats de 28 pays.", day=day) == {
        ("troop_strength", "KFOR", None, "1999-06", 50000, "troops"),
        ("troop_strength", "KFOR", None, "2020-06-04", 3600, "troops")}
    # all who took part; a reinforcement; money for modernisation
    for text in ["Plus de 400 soldats suisses ont déjà participé à la Swisscoy.",
                 "Bosnien-Einsatz: 100 österreichische Soldaten verstärken die EUFOR.",
                 "Vlada Srbije je prošle godine uložila oko 300 miliona evra u modernizaciju "
                 "Vojske Srbije."]:
        assert facts(text, day=day) == set(), text


def test_a_share_of_gdp_restated_as_money_is_the_budget():
    """'X percent of GDP, or about Y': the amount is the budget (a share of the budget
    restated as money stays a part), with a qualifier between them, in any language; and
    'from this year's budget' dates it (a possessive, not 'since this year')."""
    day = dt.datetime(2024, 3, 1)
    text = ("Montenegro's spending on defence from this year's budget comes to 1.9 percent "
            "of GDP (about 120 million euros).")
    assert facts(text, day=day) == {("defence_budget", None, "MNE", "2024", 1.2e8, "EUR")}
    # "next year" in the clause after is the plan's year, not this amount's
    text = ("Montenegro's defence spending from this year's budget is 2 percent of GDP "
            "(120 million euros), while next year 2.1 percent is planned.")
    assert facts(text, day=day) == {("defence_budget", None, "MNE", "2024", 1.2e8, "EUR")}
    text = ("Оваа година буџетот за одбрана на Македонија изнесува 1,8 проценти од БДП, односно "
            "околу 210 милиони евра.")
    assert facts(text, day=day) == {("defence_budget", None, "MKD", "2024", 2.1e8, "EUR")}
    # a share of the budget itself, restated as money, is a part of it
    text = ("Montenegro will spend 30 percent of its defence budget for 2024, or about 36 "
            "million euros, on new equipment.")
    assert facts(text, day=day) == set()


def test_money_compared_named_for_defence_or_for_another_ministry():
    day = dt.datetime(2025, 11, 20)
    # a bare number compared with an amount takes its unit
    text = ("Montenegro's defence ministry will spend 98.5 million euros under the budget "
            "adopted today, compared to 91.2 in this year's budget.")
    got = facts(text, day=day)
    assert ("defence_budget", None, "MNE", "2025", 91.2e6, "EUR") in got
    # the state budget named first, what the money is for said after it
    text = "Albania's state budget for 2025 sets aside 280 million euros for defence."
    assert facts(text, day=day) == {("defence_budget", None, "ALB", "2025", 2.8e8, "EUR")}
    # the currency carries on into a sentence about another ministry: not defence money
    text = ("The defence ministry of Serbia gets 170 billion dinars in 2025. The health "
            "ministry's share falls from 40 billion in 2024 to 35 billion in 2025.")
    got = facts(text, day=day)
    assert {v for *_, v, u in got} == {1.7e11}
    # a part of the amount before is not a level
    text = ("Kosovo's defence budget for 2025 is 205 million euros, and 12 million of that "
            "amount pays for pensions.")
    assert {v for *_, v, u in facts(text, day=day)} == {2.05e8}


def test_a_series_of_dated_levels_each_with_its_own_year():
    """The size as the force's predicate, each year with its own number, a thousands
    group typed with a space after the comma, and the plan of the last clause kept to it."""
    text = ("Over the years SFOR shrank. In 2000 the force was 21,000, in 2003 12, 000 and "
            "by the end of 2005 the force will be about 5,000 personnel.")
    got = facts(text, day=dt.datetime(2004, 1, 10))
    assert ("troop_strength", "SFOR", None, "2000", 21000, "troops") in got
    assert ("troop_strength", "SFOR", None, "2003", 12000, "troops") in got
    assert not any(v == 5000 for *_, v, _ in got)
    text = "IFOR was replaced by SFOR. By 2003, they totalled 12,000."
    assert ("troop_strength", "SFOR", None, "2003", 12000, "troops") in facts(
        text, day=dt.datetime(2010, 5, 1))


def test_a_noun_left_out_after_the_first_figure_keeps_its_subject():
    text = ("The Slovenian contingent in KFOR was once up to 400 soldiers; "
            "today there are about 250.")
    got = facts(text)
    assert ("troop_contribution", "KFOR", "SVN", "2025-04-25", 250, "troops") in got
    table = "KFOR contributing nations, May 2024\nGreece 120 2\nItaly 1,100 4\n"
    assert not any(v in (2, 4) for *_, v, _ in facts(table))


def test_now_in_the_numbers_own_clause_and_a_year_that_labels_a_name():
    text = ("Con oltre 40.000 soldati nel 1999, oggi la missione Kfor conta circa 4.000 militari.")
    assert ("troop_strength", "KFOR", None, "2025-04-25", 4000, "troops") in facts(text)
    text = "Fort de 700 hommes, EUFOR Althea veille au respect des accords de Dayton (1995)."
    assert ("troop_strength", "EUFOR-ALTHEA", None, "2025-04-25", 700, "troops") in facts(text)


def test_a_scale_abbreviation_and_a_share_restated_as_money():
    text = ("Das Verteidigungsbudget Sloweniens? Nein: das Militärbudget Montenegros wird sich "
            "heuer auf 1,5 Prozent des BIP, bzw. 90,5 Mio. Euro belaufen.")
    got = facts(text, day=dt.datetime(2021, 3, 2))
    assert ("defence_budget", None, "MNE", "2021", 90500000, "EUR") in got


def test_whose_troops_from_the_unit_they_belong_to_and_from_the_sentence_before():
    text = ("Between May and November 2006, 480 soldiers of the 14th Austrian Contingent served "
            "in the Kosovo Force.")
    assert ("troop_contribution", "KFOR", "AUT", "2006-11", 480, "troops") in facts(
        text, day=dt.datetime(2006, 12, 1))
    text = ("Les soldats français au Kosovo\n\nLa France, contributeur de la KFOR, y compte "
            "environ 400 hommes. En 2010 la KFOR est devenue une force de dissuasion. "
            "Elle est ainsi passée à 9 000 hommes en mars 2010.")
    got = facts(text, title="Les soldats français au Kosovo", day=dt.datetime(2012, 5, 1))
    assert ("troop_contribution", "KFOR", "FRA", "2012-05-01", 400, "troops") in got
    assert ("troop_strength", "KFOR", None, "2010-03", 9000, "troops") in got


def test_a_hard_wrapped_line_is_one_sentence_and_one_rotation_is_not_a_cumulative_total():
    text = ("SFOR Press Release\nEach task force will be renamed and\nconsist of about 1,500 "
            "soldiers by June.\n")
    assert not facts(text, day=dt.datetime(2003, 12, 16))
    text = ("From May to November 2007, 310 soldiers of the 17th Austrian contingent served in "
            "Kosovo with KFOR. Over 100,000 soldiers have served in KFOR since 1999.")
    got = facts(text, day=dt.datetime(2007, 12, 1))
    assert {v for *_, v, _ in got} == {310}


def test_a_list_of_countries_money_under_a_heading_that_names_defence_and_the_year():
    text = ("Regional overview\n\nDefence spending in the region, 2023\n\n"
            "Serbia — 1.9 billion dollars, about 2.6% of GDP.\n\n"
            "Montenegro - $120 million, 1.5% of GDP.\n\nGreece — $8 billion.\n")
    got = facts(text, day=dt.datetime(2024, 6, 1))
    assert ("defence_budget", None, "SRB", "2023", 1.9e9, "USD") in got
    assert ("defence_budget", None, "MNE", "2023", 1.2e8, "USD") in got
    assert not any(c == "GRC" for _, _, c, *_ in got)
    plain = "Regional overview\n\nTourism in the region, 2023\n\nSerbia — 1.9 billion dollars.\n"
    assert not facts(plain, day=dt.datetime(2024, 6, 1))


def test_a_draft_adopted_by_the_government_is_still_a_draft():
    text = ("Montenegro's government adopted a draft 2025 defence budget of 150 million euros, "
            "which now goes to parliament.")
    assert not facts(text, day=dt.datetime(2025, 1, 10))
    text = "Montenegro's parliament adopted the 2025 defence budget of 150 million euros."
    assert facts(text, day=dt.datetime(2025, 1, 10))


def test_until_now_in_a_later_clause_and_a_list_with_sa_and_this_years_budget():
    text = ("NATO said it will send 500 more soldiers to KFOR, which until now had about "
            "4,000 troops, including 300 from Poland.")
    got = facts(text)
    assert ("troop_strength", "KFOR", None, "2025-04-25", 4000, "troops") in got
    assert ("troop_contribution", "KFOR", "POL", "2025-04-25", 300, "troops") in got
    text = ("U misiji KFOR najviše vojnika ima Italija - 900, a slijedi Mađarska sa 400, "
            "dok Sjeverna Makedonija ima 60.")
    got = facts(text)
    assert {(c, v) for _, _, c, _, v, _ in got} >= {("ITA", 900), ("HUN", 400), ("MKD", 60)}
    text = ("Буџетот за одбрана во 2014 година\n\nЗа споредба, годинешниот македонски буџет "
            "за одбрана изнесува 12 милијарди денари.")
    assert ("defence_budget", None, "MKD", "2022", 12e9, "MKD") in facts(
        text, title="Буџетот за одбрана во 2014 година", day=dt.datetime(2022, 3, 1))


def test_a_budget_not_yet_adopted_and_each_amount_with_the_year_of_its_clause():
    text = ("Budžet MO BiH u 2021. godini iznosio je 290,5 milijuna KM, a u tekućoj, 2024. "
            "godini, iznosi 320,1 milijuna KM.")
    got = facts(text, day=dt.datetime(2024, 5, 1))
    assert ("defence_budget", None, "BIH", "2021", 290.5e6, "BAM") in got
    assert ("defence_budget", None, "BIH", "2024", 320.1e6, "BAM") in got
    text = ("Budžet za 2025. godinu još nije usvojen, a MO BiH je dobilo ograničenje od "
            "330.000.000 KM.")
    assert not facts(text, day=dt.datetime(2025, 1, 20))
    text = "Më shumë se 120 ushtarë të Kroacisë do t’i bashkohen KFOR-it në Kosovë."
    assert not facts(text)


def test_years_ago_each_unit_a_rise_after_now_and_the_current_budget_beside_a_request():
    text = ("Prije 20 godina NATO je na Kosovo rasporedio oko 45.000 vojnika u misiji KFOR.")
    assert ("troop_strength", "KFOR", None, "2005", 45000, "troops") in facts(text)
    text = "The restructured SFOR is divided into eight battle groups of around 700 soldiers each."
    assert not facts(text, day=dt.datetime(2003, 1, 22))
    text = ("Von 120 Mann, die das Bundesheer derzeit bei EUFOR stellt, sei eine Erhöhung auf "
            "180 Soldaten geplant.")
    got = facts(text, day=dt.datetime(2009, 11, 12))
    assert {v for *_, v, _ in got} == {120}
    text = ("Kosovo's minister said: we need an increased defence budget of 70 million euro, "
            "more than the current budget of 48 million euro.")
    got = facts(text, day=dt.datetime(2014, 3, 1))
    assert {v for *_, v, _ in got} == {48e6}
    text = "Italija ima ukupno 1.100 vojnika u misiji KFOR."
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 1100, "troops") in facts(text)


def test_the_nation_after_the_noun_the_one_with_the_most_and_a_relative_clauses_total():
    text = "Aktualisht në misionin e KFOR-it janë të angazhuar 420 ushtarë amerikanë."
    assert ("troop_contribution", "KFOR", "USA", "2025-04-25", 420, "troops") in facts(text)
    text = "Italija ima najviše vojnika u sastavu Kfora – ukupno 1.200 ljudi."
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 1200, "troops") in facts(text)
    text = ("Mađarska ima najviše vojnika iz regiona u misiji Kfor koja ukupno broji 3.900 "
            "ljudi iz 28 zemalja.")
    got = facts(text)
    assert ("troop_strength", "KFOR", None, "2025-04-25", 3900, "troops") in got
    assert not any(c == "HUN" and v == 3900 for _, _, c, _, v, _ in got)
    text = "Deri në 300 ushtarë gjermanë pritet t’i bashkohen KFOR-it muajin e ardhshëm."
    assert not facts(text)


def test_a_ceiling_to_send_a_missions_own_reserve_a_period_sum_and_rh():
    text = "Prema odluci vlade, Austrija će u misiju Kfor i dalje upućivati do 500 vojnika."
    assert not facts(text, day=dt.datetime(2019, 11, 1))
    text = ("Mađarski kontingent u KFOR-u sastavljen je od 350 ljudi u sastavu Taktičkog "
            "rezervnog bataljona.")
    assert ("troop_contribution", "KFOR", "HUN", "2025-04-25", 350, "troops") in facts(text)
    text = ("Programi i investimeve të mbrojtjes për periudhën 2024-2030 arrin në 900 milionë "
            "euro.")
    assert not facts(text)
    text = "Vojni proračun RH za 2020. iznosi 700 milijuna eura."
    assert ("defence_budget", None, "HRV", "2020", 7e8, "EUR") in facts(
        text, day=dt.datetime(2020, 3, 1))


def test_counts_since_a_year_troops_across_the_globe_and_an_increase_by():
    text = "Seit Österreich KFOR im Kosovo unterstützt, waren 21.000 heimische Soldaten im Einsatz."
    assert not facts(text)
    text = ("Poland currently has about 1,200 soldiers deployed in seven contingents across the "
            "globe, including in KFOR.")
    assert not facts(text)
    text = "Shqipëria rrit me 25 trupa praninë në operacionin ALTHEA në Bosnjë e Hercegovinë."
    assert not facts(text)


def test_a_year_series_under_a_heading_with_bln_and_shares_on_the_line_before():
    text = ("Budget of the Croatian armed forces\n\nDefence expenditures in recent years:\n\n"
            "  • 2003: 4.51 bln HRK - 2.4% of GDP\n  • 2004: 4.2 bln HRK - 2.1% of GDP\n")
    got = facts(text, title="Budget of the Croatian armed forces", day=dt.datetime(2012, 6, 1))
    assert ("defence_budget", None, "HRV", "2003", 4.51e9, "HRK") in got
    assert ("defence_budget", None, "HRV", "2004", 4.2e9, "HRK") in got


def test_a_force_named_just_after_its_handover_and_a_part_of_an_amount():
    text = "SFOR handed over to the EU yesterday. Its 6,500 troops now wear EU badges."
    got = facts(text, day=dt.datetime(2004, 12, 3))
    assert ("troop_strength", "EUFOR-ALTHEA", None, "2004-12-03", 6500, "troops") in got
    text = "IFOR was a 55,000-strong force that was deployed for one year."
    assert not any(m == "EUFOR-ALTHEA" for _, m, *_ in facts(text, day=dt.datetime(2015, 1, 5)))
    text = ("Serbia's defence ministry budget for 2009 is 70 billion dinars. This sum also "
            "includes 3 billion of its own income.")
    got = facts(text, day=dt.datetime(2009, 2, 1))
    assert {v for *_, v, _ in got} == {70e9}


def test_both_ends_of_a_nations_change_are_that_nations():
    text = ("Au sein de la SFOR, les effectifs français, qui ont représenté plus de 7 000 hommes "
            "en 1996, sont ramenés à 1 800 à la fin de l'année 2001.")
    got = facts(text, day=dt.datetime(2003, 1, 1))
    assert ("troop_contribution", "SFOR", "FRA", "2001", 1800, "troops") in got


def test_an_ended_force_without_a_date_a_units_size_and_ordinals_in_more_languages():
    text = "IFOR je brojao oko 55.000 vojnika, predvođenih NATO snagama."
    assert not facts(text, day=dt.datetime(2024, 12, 1))
    text = ("EUFOR-ove snage u BiH:\nMultinacionalna radna grupa (Sjever) - oko 1.200 ljudi sa "
            "sjedištem u Tuzli\n")
    assert not facts(text, day=dt.datetime(2005, 3, 1))
    text = "Ky është kontingjenti i 37-të me ushtarë kroatë në KFOR."
    assert not facts(text)
    text = "La France est le 4ème contingent de la KFOR avec 1 800 hommes."
    assert {v for *_, v, _ in facts(text, day=dt.datetime(2006, 5, 1))} == {1800}


def test_a_nations_people_named_right_after_the_number_in_a_sentence_about_the_force():
    text = ("There are roughly 550 Americans deployed as part of Multinational Battlegroup "
            "East, one of two battlegroups that make up NATO's Kosovo Force, or KFOR.")
    assert ("troop_contribution", "KFOR", "USA", "2025-04-25", 550, "troops") in facts(text)


def test_a_year_later_counts_from_the_year_the_text_last_wrote():
    day = dt.datetime(2022, 3, 1)
    text = ("In 2011 the defence ministry of Montenegro spent 40 million euros. A year later "
            "its budget rose to 44 million euros.")
    got = facts(text, day=day)
    assert ("defence_budget", None, "MNE", "2012", 44e6, "EUR") in got
    text = ("Buxheti i Ministrisë së Mbrojtjes së Kosovës ishte 30 milionë euro në vitin 2012. "
            "Një vit më vonë buxheti u rrit në 33 milionë euro.")
    assert ("defence_budget", None, "XKX", "2013", 33e6, "EUR") in facts(text, day=day)
    text = ("Godine 2015. budžet Ministarstva odbrane Srbije iznosio je 50 milijardi dinara. "
            "Godinu dana kasnije budžet je iznosio 55 milijardi dinara.")
    assert ("defence_budget", None, "SRB", "2016", 55e9, "RSD") in facts(text, day=day)
    # with no year written before it, "a year earlier" is counted from the date line
    text = ("Albania's defence budget is 200 million euros, up from 180 million euros a year "
            "earlier.")
    assert ("defence_budget", None, "ALB", "2021", 180e6, "EUR") in facts(text, day=day)

def test_bice_is_a_plan_and_from_next_year_is_next_years():
    assert not facts("Budžet Ministarstva odbrane Srbije biće 150 milijardi dinara.")
    text = "Od naredne godine budžet Ministarstva odbrane Crne Gore iznosi 120 miliona eura."
    assert {d for _, _, _, d, _, _ in facts(text)} == {"2026"}

def test_a_relative_year_in_the_title_dates_the_bodys_amounts():
    text = "Qeveria e Malit të Zi ka ndarë 90 milionë euro për Ministrinë e Mbrojtjes."
    got = facts(text, title="Buxheti i mbrojtjes për vitin e ardhshëm")
    assert {(c, d, v) for _, _, c, d, v, _ in got} == {("MNE", "2026", 9e7)}

@pytest.mark.parametrize("text, nation, value", [
    ("Derzeit dienen 250 polnische Soldaten in der KFOR im Kosovo.", "POL", 250),
    ("Actuellement, 600 soldats américains servent au sein de la KFOR.", "USA", 600),
    ("Attualmente 200 militari rumeni prestano servizio nella KFOR.", "ROU", 200),
    ("Në KFOR aktualisht shërbejnë 240 ushtarë polakë.", "POL", 240),
    ("Trenutno u KFOR-u služi 30 vojnika iz Litve.", "LTU", 30),
])
def test_a_nations_adjective_or_inflected_name_in_more_languages(text, nation, value):
    assert facts(text) == {("troop_contribution", "KFOR", nation, "2025-04-25", value,
                            "troops")}

@pytest.mark.parametrize("text", [
    "La KFOR comptera 5 000 soldats.",
    "L'Italia invierà 600 militari alla KFOR.",
    "La KFOR avrà 5.000 soldati.",
    "Vojska Srbije ima 28.000 pripadnika, dok je Kfor prisutan na Kosovu.",
    "Kosovo Security Force has 5,000 members, while KFOR keeps its bases.",
])
def test_the_future_tense_and_a_national_army_beside_a_mission_in_another_clause(text):
    assert not facts(text)

def test_nato_troops_are_the_whole_force_and_a_replaced_mission_is_not_the_subject():
    text = ("Armenia sends 35 more soldiers to Kosovo. Some 17,000 NATO-led peacekeepers are "
            "deployed in Kosovo.")
    got = facts(text, title="Armenian peacekeepers leave for Kosovo", day=dt.datetime(2006, 11, 17))
    assert ("troop_strength", "KFOR", None, "2006-11-17", 17000, "troops") in got
    text = ("Althea, la missione dell'Unione europea, sostituisce la missione NATO denominata "
            "SFOR in Bosnia. Oggi conta circa 6.000 uomini.")
    got = facts(text, day=dt.datetime(2005, 6, 1))
    assert {m for _, m, *_ in got} == {"EUFOR-ALTHEA"}

@pytest.mark.parametrize("text", [
    "Minister Klug besuchte die österreichischen Soldaten des 30. Kontingents der KFOR.",
    "Die durchschnittliche Stärke eines österreichischen KFOR-Kontingents liegt bei 400 Soldaten.",
    "Insgesamt wurden bisher 23.000 österreichische Soldaten zur KFOR entsandt.",
    "KFOR: Turqia dislokon 350 trupa në Kosovë.",
    "Kampot e KFOR-it u ndërtua për stacionimin e 4000 ushtarëve amerikanë.",
    "Базата на КФОР е изградена за стационирање на 4000 американски војници.",
    "En moyenne, un contingent français de la KFOR compte 500 soldats.",
    "Poljska je povukla 100 vojnika iz Kfora.",
    "Polen zog 100 Soldaten aus der KFOR ab.",
    "Ein neues Kontingent von 250 Soldaten ist im KFOR-Einsatz eingetroffen.",
    "Od 1999. kroz Kfor je prošlo više od 20.000 talijanskih vojnika.",
])
def test_ordinals_averages_sums_so_far_deployments_withdrawals_and_capacities(text):
    # withdrawals and arrivals with German's verb last are changes, not levels
    assert not facts(text)

def test_a_nations_part_of_the_mission_in_the_genitive_and_the_turkish_future():
    text = "Açıklamada, ABD’nin KFOR bünyesinde yaklaşık 600 askerle bulunduğu belirtildi."
    assert ("troop_contribution", "KFOR", "USA", "2025-04-25", 600, "troops") in facts(text)
    text = "Finlandiya'nın KFOR bünyesinde sadece 20 asker bulunduracağı bildirildi."
    assert not facts(text)

def test_the_contingent_the_sentence_before_is_about_owns_the_next_sentences_number():
    text = ("The government decided to cut the size of the Austrian contingent serving in "
            "KFOR. The number of troops will go down from the current level of 300 soldiers "
            "to about 100 by the summer.")
    got = facts(text)
    assert ("troop_contribution", "KFOR", "AUT", "2025-04-25", 300, "troops") in got
    # a sentence that already gave the contingent's number leaves the next ones to be parts
    text = ("The Austrian contingent in KFOR has 300 soldiers. They serve in Pristina (200 "
            "soldiers) and in Prizren (100 soldiers).")
    got = facts(text)
    assert ("troop_contribution", "KFOR", "AUT", "2025-04-25", 300, "troops") in got
    assert not any(c == "AUT" and v != 300 for _, _, c, _, v, _ in got)

@pytest.mark.parametrize("text, mission, value", [
    ("Kosovo Force\nActive since 1999\nSize: 4,500 personnel\n", "KFOR", 4500),
    ("EUFOR Althea\nTaille | 1100 membres |\n", "EUFOR-ALTHEA", 1100),
    ("Снаге за Косово (КФОР)\nВеличина4.443 људи[1]\n", "KFOR", 4443),
])
def test_an_infobox_size_line_even_when_its_label_and_number_are_glued(text, mission, value):
    assert ("troop_strength", mission, None, "2025-04-25", value, "troops") in facts(text)

def test_a_table_flattened_one_row_a_line_with_its_cells_glued():
    text = ("KFOR\n\nContributing nations (soldiers)\n"
            "CountryNATOEUTroops\n United StatesYesNo560[3]\n ItalyYesYes1300\n"
            " İrlandaHayırEvet13\n North MacedoniaYesNo70\n")
    got = {(c, v) for k, _, c, _, v, _ in facts(text) if k == "troop_contribution"}
    assert got == {("USA", 560), ("ITA", 1300), ("IRL", 13), ("MKD", 70)}
    # two glued lines are not a table
    text = "KFOR soldiers\n ItalyYesYes1300\n HungaryYesYes400\n"
    assert not facts(text)

def test_the_same_number_named_again_as_known_is_the_unit_sent_and_italian_plans():
    text = ("Turkey has sent 320 troops to KFOR. The 320 soldiers, from an infantry "
            "brigade, patrol the north.")
    assert not facts(text)
    # the same number not named as known is another figure
    text = "Hungary sent 200 more soldiers to KFOR on Monday. Austria has 200 soldiers in KFOR."
    assert facts(text) == {("troop_contribution", "KFOR", "AUT", "2025-04-25", 200, "troops")}
    text = ("Il piano prevede una spesa di 900 milioni di euro per la difesa del Montenegro "
            "nei prossimi anni.")
    assert not facts(text)

def _with_title(raw):
    from presence.desk.feed import parse_raw

    a = parse_raw(raw)
    return {(c.kind, c.contributor, c.as_of, c.value) for c in extract(
        a.text, a.published, a.title, a.offset, title_offset=raw.find(a.title))
        if c.kind in FIGURES}


def test_a_headline_does_not_bring_back_a_number_the_body_read_as_a_plan():
    raw = ("Kosovo raises its defence budget to 120 million euros\n\n2024-05-02 10:00:00 / Test\n"
           "From next year, the budget of Kosovo's defence ministry will be 120 million euros.\n")
    assert not _with_title(raw)
    # the headline still gives what the body could not read for want of a country
    raw = ("Montenegro's defence budget is 90 million euros\n\n2024-05-02 10:00:00 / Test\n"
           "The parliament adopted the defence ministry's budget of 90 million euros.\n")
    assert ("defence_budget", "MNE", "2024", 9e7) in _with_title(raw)


def test_a_plan_word_in_a_closed_aside_and_a_relative_year_far_back_in_the_sentence():
    text = ("This year, after the rebalance (spent once again less than the plan, by 35 million "
            "euros), the Croatian defence budget amounts to 647 million euros.")
    assert ("defence_budget", None, "HRV", "2019", 647e6, "EUR") in facts(
        text, day=dt.datetime(2019, 12, 1))

def test_an_amount_restated_in_another_currency_shares_the_verdict_of_the_amount_before():
    day = dt.datetime(2023, 10, 24)
    text = ("Budžet Ministarstva odbrane Srbije za 2024. iznosi 160 milijardi dinara. To je 10 "
            "milijardi dinara više nego u budžetu za 2023. ili 87,5 miliona evra.")
    assert {v for *_, v, _ in facts(text, day=day)} == {160e9}
    text = ("U odnosu na budžet za 2023. vojska Srbije će dobiti manje 4 milijarde dinara ili "
            "oko 40 miliona evra.")
    assert not facts(text, day=day)

def test_french_members_of_a_nation_in_the_mission_and_member_states_are_a_count():
    text = "Les 195 membres suisses de la KFOR sont en sécurité, selon l'armée."
    assert facts(text) == {("troop_contribution", "KFOR", "CHE", "2025-04-25", 195, "troops")}
    assert not facts("La KFOR réunit 28 pays membres de l'OTAN et quelques partenaires.")

def test_a_total_smaller_than_the_mission_ever_was_is_a_unit():
    text = "Kosovo Force 16 comprises roughly 750 soldiers from a manoeuvre brigade."
    assert not facts(text, day=dt.datetime(2012, 9, 5))
    text = "KFOR currently has about 4,500 troops."
    assert facts(text) == {("troop_strength", "KFOR", None, "2025-04-25", 4500, "troops")}


def test_the_smallest_and_largest_forces_are_the_published_records():
    import pandas as pd

    from presence.desk.extract.figures import LARGEST_FORCE, SMALLEST_FORCE

    troops = pd.read_csv(ROOT / "data" / "troops.csv")
    totals = troops[troops.contributor == "ALL"].groupby("mission_id")["value"]
    assert {m: int(v) for m, v in totals.min().items()} == SMALLEST_FORCE
    assert {m: int(v) for m, v in totals.max().items()} == LARGEST_FORCE


def test_a_contingent_larger_than_any_nation_ever_sent_is_the_whole_force():
    text = "Italy took part in KFOR, which numbered about 50,000 soldiers when it entered Kosovo."
    got = facts(text, day=dt.datetime(1999, 6, 20))
    assert {(k, c) for k, _, c, _, v, _ in got if v == 50000} == {("troop_strength", None)}

def test_a_relative_clause_a_task_for_the_police_and_a_nations_armed_forces_in_the_mission():
    text = ("The only country that will leave Bosnia is Turkey, which has a contingent of 350 "
            "troops in SFOR.")
    assert ("troop_contribution", "SFOR", "TUR", "2004-07-01", 350, "troops") in facts(
        text, day=dt.datetime(2004, 7, 1))
    text = ("There are currently 91 members of the Slovenian Armed Forces stationed in Kosovo "
            "as part of the Kosovo Force (KFOR).")
    assert facts(text) == {("troop_contribution", "KFOR", "SVN", "2025-04-25", 91, "troops")}
    text = ("Österreich stellt in der KFOR derzeit rund 300 Soldaten, vor allem für Polizei- "
            "und Sicherungsaufgaben.")
    assert ("troop_contribution", "KFOR", "AUT", "2025-04-25", 300, "troops") in facts(text)

def test_now_heading_a_sentence_dates_its_amount_by_the_date_line():
    text = ("Montenegro's prime minister said the country would reach two percent of GDP for "
            "defence in 2026. At the moment, Montenegro sets aside 1.7 percent of GDP for "
            "defence, that is, in all, 120 million euros.")
    got = facts(text, title="In 2026 we reach two percent of GDP for defence",
                day=dt.datetime(2024, 7, 12))
    assert ("defence_budget", None, "MNE", "2024", 120e6, "EUR") in got
    text = "Now, Albania's defence budget will be over 300 million euros a year."
    assert not facts(text, day=dt.datetime(2024, 7, 12))

def test_a_relative_year_before_the_amount_outranks_a_year_past_its_clause():
    text = ("This year Albania's defence ministry received over 300 million euros, that is two "
            "percent of GDP, and the defence budget for 2026 is to rise again.")
    got = facts(text, day=dt.datetime(2025, 10, 1))
    assert {(d, v) for _, _, _, d, v, _ in got} == {("2025", 3e8)}

def test_what_a_force_holds_now_and_then_as_the_sentence_before_dates_it():
    text = ("Für ein Jahr wird das Bundesheer in Bosnien mit seinen 300 Soldaten ein Gebiet im "
            "Rahmen der EUFOR führen.")
    assert ("troop_contribution", "EUFOR-ALTHEA", "AUT", "2025-04-25", 300, "troops") in facts(text)
    text = ("Am 10. Februar 1996 folgte der Großteil des österreichischen IFOR-Kontingents. "
            "Es setzte sich damals aus rund 300 Mann zusammen.")
    got = facts(text, title="Österreich in Bosnien", day=dt.datetime(2016, 2, 10))
    assert ("troop_contribution", "IFOR", "AUT", "1996-02", 300, "troops") in got

def test_whole_words_a_name_and_a_weekday_are_not_a_plan_or_casualties():
    text = ("Minister Willie Smith visited Camp Bondsteel, where 550 American soldiers serve "
            "with KFOR.")
    assert ("troop_contribution", "KFOR", "USA", "2025-04-25", 550, "troops") in facts(text)
    text = "On Tuesday, 3,900 KFOR soldiers were in Kosovo."
    assert ("troop_strength", "KFOR", None, "2025-04-25", 3900, "troops") in facts(text)

def test_sarajevo_is_no_plan_a_day_is_no_list_item_and_a_force_before_it_began_is_planned():
    text = "In Sarajevo, EUFOR counts about 1,100 soldiers."
    assert facts(text) == {("troop_strength", "EUFOR-ALTHEA", None, "2025-04-25", 1100, "troops")}
    text = ("The Italian contingent of EUFOR\n\nSarajevo 27 feb 2025\n\nThe contingent gave "
            "medicines to a clinic.")
    assert not facts(text, day=dt.datetime(2025, 2, 27))
    text = "NATO's Implementation Force, IFOR, will have 60,000 soldiers."
    assert not facts(text.replace("will have", "has"), day=dt.datetime(1995, 11, 23))

def test_a_small_total_is_not_given_to_the_nation_of_its_part():
    text = "EUFOR keeps a headquarters with a force of 400 men, of whom about 200 Americans."
    got = facts(text, day=dt.datetime(2013, 12, 11))
    assert not any(v == 400 for *_, v, _ in got)

def test_a_lists_lead_line_that_says_now_dates_the_list_by_the_date_line():
    text = ("Tokom 2024. godine KFOR-u su se pridružile tri zemlje.\n\nNajveći kontingenti\n\n"
            "Trenutno, KFOR broji približno 4.700 vojnika iz 28 zemalja\nItalija 1.250 vojnika\n"
            "SAD 600 vojnika\n")
    got = facts(text)
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 1250, "troops") in got
    assert ("troop_contribution", "KFOR", "USA", "2025-04-25", 600, "troops") in got

def test_the_fallen_and_a_names_number_are_not_troop_levels():
    text = "A Fojnica la cerimonia per i 4 militari italiani caduti nella missione EUFOR."
    assert not facts(text)
    text = "EUFOR remembered the crew of the helicopter, all Italian soldiers of Lyra 34."
    assert not facts(text)

def test_english_billion_after_a_dot_is_a_decimal_in_a_text_that_groups_thousands_with_dots():
    text = ("The defence ministry's budget for 2010 is 70.123.456.000 dinars. The defence "
            "system has received 65.432 billion RSD of it, a little over 2 percent of GDP.")
    from presence.desk.extract.numbers import amounts

    low = text.lower()
    assert 65.432e9 in [a.value for a in amounts(low, 0, len(low), False)]


def test_every_candidate_says_why_and_every_dropped_number_says_why_not():
    found, dropped = explain("KFOR has about 4,500 troops from 27 countries; 30 soldiers were "
                             "injured.", DAY)
    assert [c.value for c in found] == [4500]
    assert any("troop noun" in w for w in found[0].why)
    reasons = {d.text: d.reason for d in dropped}
    assert "count" in reasons["27"] and reasons["30"] == "casualties"


def test_absurd_numbers_are_dropped_with_a_reason_not_an_overflow():
    text = "KFOR has " + "9" * 400 + " troops and a budget of 1" + ",000" * 5000 + " euros."
    found, dropped = explain(text, DAY)
    assert found == []
    assert all("digits is not a figure" in d.reason for d in dropped)


def test_explain_prints_what_was_kept_and_what_was_dropped(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("KFOR numbers\n\n2025-04-25 10:00:00 / TEST\n\n"
                       "KFOR currently has about 4,500 troops. NATO will send 200 more troops.\n",
                       encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "presence.cli", "extract", "--explain",
                          str(article)], capture_output=True, text=True, check=True).stdout
    assert "+ line 5: troop_strength KFOR 2025-04-25 4,500 troops (approx)" in out
    assert "'200' not proposed: a change, not a level" in out


@needs_corpus
def test_the_real_corpus_meets_the_bars():
    """Precision >= 0.85 and recall >= 0.75 overall, >= 0.75 / 0.65 in each of English,
    Albanian, BCS and Macedonian (issue 9's bars), on all 111 texts."""
    scores = evaluate_corpus(CORPUS)["scores"]
    overall = scores["all"]["all"]
    assert overall["precision"] >= 0.85 and overall["recall"] >= 0.75, overall
    for lang in ("en", "sq", "bs", "mk"):
        s = scores[lang]["all"]
        assert s["precision"] >= 0.75 and s["recall"] >= 0.65, (lang, s)


@needs_corpus
def test_the_held_out_split_is_the_one_written_down():
    import random

    split = json.loads((ROOT / "tests" / "corpus_split.json").read_text(encoding="utf-8"))
    names = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert sorted(random.Random(split["seed"]).sample(names, len(split["heldout"]))) == \
        split["heldout"]
    assert set(corpus_files(CORPUS, "heldout")) == set(split["heldout"])


def test_parts_placed_in_their_host_a_force_left_unnamed_and_years_ago_in_albanian():
    text = ("Italy keeps 1,400 soldiers in the Western Balkans, of which about 180 in Bosnia "
            "and Herzegovina and over 1,200 in Kosovo, within NATO's KFOR.")
    got = facts(text)
    assert ("troop_contribution", "EUFOR-ALTHEA", "ITA", "2025-04-25", 180, "troops") in got
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 1200, "troops") in got
    text = ("Hungary has 700 soldiers abroad, including 350 in NATO's KFOR mission and nearly "
            "150 in the EU's EUFOR Althea mission.")
    assert ("troop_contribution", "EUFOR-ALTHEA", "HUN", "2025-04-25", 150, "troops") in facts(text)
    text = "L'Italia ha 1.100 militari schierati in Kosovo nella missione KFOR."
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 1100, "troops") in facts(text)
    # "now" of a relative clause is its own number's, not the proposed level after it
    text = "Komandant EUFOR-a je predložio da se snage koje sada broje 2.000 vojnika, smanje na 600."
    assert {v for *_, v, _ in facts(text)} == {2000}
    text = "The 16,000-strong NATO-led peacekeeping force will be needed for years."
    assert ("troop_strength", "KFOR", None, "2008-04-24", 16000, "troops") in facts(
        text, title="Minister visits Irish troops in Kosovo", day=dt.datetime(2008, 4, 24))
    text = "22 vjet më parë në Kosovë erdhën 50 mijë ushtarë të NATO-s."
    assert {(m, a[:4], v) for _, m, _, a, v, _ in facts(text, day=dt.datetime(2021, 6, 12))} == \
        {("KFOR", "1999", 50000)}
    for text in ("The advance party of 20 Irish soldiers arrived in Tuzla on Monday.",
                 "Les 14 derniers militaires belges ont quitté le Kosovo mercredi."):
        assert not facts(text, title="KFOR and EUFOR")


def test_a_series_under_a_sentence_about_the_budget_and_each_amounts_own_country_and_year():
    day = dt.datetime(2025, 5, 5)
    text = ("Kosovo's defence budget has grown every year. In 2021, 70 million euros were "
            "spent, in 2022, 95 million euros, and in 2023, 120 million euros.")
    got = facts(text, day=day)
    assert {("XKX", "2021", 70e6), ("XKX", "2022", 95e6), ("XKX", "2023", 120e6)} <= \
        {(c, a, v) for _, _, c, a, v, _ in got}
    text = "Kosovo's defence budget has grown every year. This rise could mean at least 150 million euros."
    assert not facts(text, day=day)
    text = ("Serbia spends the most in the region: 2.1 billion euros on defence in 2025, "
            "compared to 1.4 billion euros in 2021.")
    assert ("defence_budget", None, "SRB", "2021", 1.4e9, "EUR") in facts(
        text, title="Kosovo and its neighbours arm", day=day)
    text = ("For 2024, the defence ministry of Kosovo had 150 million euros, with 200 million "
            "set aside for the current year.")
    assert ("defence_budget", None, "XKX", "2025", 200e6, "EUR") in facts(text, day=day)
    text = ("Serbia spent 2 billion dollars on defence in 2023, about 300 million dollars more "
            "than the previous year.")
    assert {a for _, _, _, a, _, _ in facts(text, day=day)} == {"2023"}
    text = ("Since joining NATO in 2017, Montenegro raised its defence spending from US$60m "
            "that year to US$90m in 2019.")
    assert {(c, a, v) for _, _, c, a, v, _ in facts(text, day=day)} == \
        {("MNE", "2017", 60e6), ("MNE", "2019", 90e6)}


def test_whose_number_a_fronted_with_a_whole_of_a_part_and_troops_placed_abroad():
    text = "With about 400 troops, Poland is the largest troop contributor to the mission."
    assert ("troop_contribution", "EUFOR-ALTHEA", "POL", "2025-04-25", 400, "troops") in facts(
        text, title="EUFOR Althea changes command")
    text = "The mission, which Austria will lead next year, includes over 1,100 soldiers from 20 countries."
    assert ("troop_strength", "EUFOR-ALTHEA", None, "2025-04-25", 1100, "troops") in facts(
        text, title="EUFOR Althea changes command")
    text = "The Romanian detachment counts about 90 personnel and 3 AB-212 helicopters."
    assert {v for *_, v, _ in facts(text, title="EUFOR Althea")} == {90}
    text = "Nearly 2,000 soldiers from several NATO countries serve in these American-led units."
    assert not any(c == "USA" for _, _, c, *_ in facts(text, title="US units in KFOR"))
    text = "U Kosovu je raspoređeno oko 300 italijanskih vojnika od ukupno 4.500 pripadnika KFOR-a."
    got = facts(text)
    assert ("troop_contribution", "KFOR", "ITA", "2025-04-25", 300, "troops") in got
    assert ("troop_strength", "KFOR", None, "2025-04-25", 4500, "troops") in got
    text = ("Hrvatski kontingent u KFOR-u broji 150 vojnika. U borbenoj grupi u Litvi "
            "trenutno je 120 hrvatskih vojnika.")
    assert {v for *_, v, _ in facts(text)} == {150}
    text = "Il 1° marzo 1996, con circa 3.000 uomini (2.000 italiani), la brigata è entrata nell'IFOR."
    assert {(c, v) for _, _, c, _, v, _ in facts(text, day=dt.datetime(1996, 3, 1))} == {("ITA", 2000)}


def test_one_number_for_two_missions_money_for_purchases_and_european_troops():
    text = ("The minister visits the Balkans, where 60 Irish soldiers serve in the KFOR mission "
            "in Kosovo and the EUFOR operation in Bosnia.")
    assert not facts(text, title="Minister visits Irish troops")
    text = ("For its defence, Serbia has 150 million euros at hand, which it spent at once on "
            "purchases of arms, the president said.")
    assert not facts(text, day=dt.datetime(2024, 3, 1))
    text = "Ministar je rekao da se u BiH trenutno nalazi 6300 evropskih vojnika."
    assert ("troop_strength", "EUFOR-ALTHEA", None, "2005-03-01", 6300, "troops") in facts(
        text, title="EUFOR", day=dt.datetime(2005, 3, 1))


def test_the_number_of_troops_as_the_subject_of_a_dated_level():
    text = ("Au départ, la SFOR comptait 31 000 soldats. Le nombre de militaires a ensuite été "
            "réduit pour s'établir à environ 6 000 en juin 2003.")
    assert ("troop_strength", "SFOR", None, "2003-06", 6000, "troops") in facts(
        text, day=dt.datetime(2005, 1, 1))
    text = "The ministry wants to increase the number of soldiers serving in KFOR to at least 120."
    assert not facts(text)


def test_a_list_before_the_number_a_comparison_after_it_men_and_women_and_a_rotation():
    text = "Its headquarters supports a mission of 4 brigades, 34 nations and more than 17,000 peacekeepers."
    assert ("troop_strength", "KFOR", None, "2005-01-01", 17000, "troops") in facts(
        text, title="KFOR headquarters", day=dt.datetime(2005, 1, 1))
    text = "Mit insgesamt 510 Frauen und Männern bleibt Österreich dort der größte Truppensteller."
    assert ("troop_contribution", "KFOR", "AUT", "2025-04-25", 510, "troops") in facts(
        text, title="KFOR: Bundesheer")
    text = ("The Austrian contingent of KFOR serves in the west of Kosovo. There are currently "
            "262 soldiers stationed there, seven fewer than in the EUFOR operation in Bosnia.")
    assert ("troop_contribution", "KFOR", "AUT", "2025-04-25", 262, "troops") in facts(text)
    for text in ("NATO also counted on personnel within Greece (150 officers and men) for support.",
                 "Some 80 Czech soldiers have left for Kosovo to replace their colleagues in KFOR."):
        assert not facts(text, title="KFOR")


def test_the_first_or_last_few_of_a_contingent_are_a_group_that_moves_not_its_level():
    for text in ("The first 90 soldiers of the new Czech contingent left for KFOR on Sunday.",
                 "Die ersten 87 Soldaten des neuen Kontingents sind in den KFOR-Einsatz abgereist.",
                 "The last 14 Belgian soldiers of KFOR came home on Wednesday."):
        assert not facts(text)


def test_money_moved_into_defence_from_other_lines_is_a_reallocation():
    for text in ("Vlada je odlučila da sa državnih projekata preusmeri 10 milijardi dinara u budžet odbrane.",
                 "The government redirected 50 million euros from road projects to the defence budget of Serbia."):
        assert not facts(text, day=dt.datetime(2025, 3, 1))


def test_all_who_served_since_then_in_german():
    text = "Seither engagierten sich rund 9’000 Armeeangehörige im Rahmen der KFOR in Kosovo."
    assert not facts(text, title="25 Jahre Swisscoy")


def test_a_full_stop_glued_to_the_next_sentence_still_ends_one():
    from presence.desk.extract.text import units
    text = "It sent troops to the Althea force.The contingent is the largest. U.S.Army units stay."
    assert [text[u.start:u.end] for u in units(text)] == [
        "It sent troops to the Althea force.", "The contingent is the largest.", "U.S.Army units stay."]
    text = ("The minister met over 200 Romanian troops of the Althea force.The Romanian "
            "contingent is among the largest, he said.")
    assert ("troop_contribution", "EUFOR-ALTHEA", "ROU", "2025-04-25", 200, "troops") in facts(text)


def test_a_reinforced_company_is_a_unit_but_reinforced_by_200_is_a_change():
    text = ("La Belgique n'est plus présente qu'avec une compagnie renforcée et quelques éléments "
            "dispersés, soit 231 militaires belges dans la KFOR.")
    assert ("troop_contribution", "KFOR", "BEL", "2025-04-25", 231, "troops") in facts(text)
    assert not facts("Le contingent belge de la KFOR a été renforcé de 200 soldats.")


def test_over_the_years_in_german_counts_all_who_served():
    text = "Über 40.000 deutsche Soldaten waren im Laufe der Jahre auf bosnischem Boden stationiert."
    assert not facts(text, title="Die letzten deutschen Soldaten verlassen EUFOR",
                     day=dt.datetime(2012, 9, 27))
