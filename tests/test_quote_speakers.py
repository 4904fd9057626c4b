"""Speaker shapes added for the press, fragments and loose tags, pinned with sentences written for these tests.

An outlet quoted by a press review ("the paper says"), a colon that introduces
the next quote rather than tagging the last, "said the American" as a
description, a description in the middle of a sentence, an organisation before
its initials, a fragment owned by a speech word or tagged right after it, a
surname that means the namesake named before it, a tag by any verb, and a
role as the speaker ("the mayor said": whom the article made mayor).
"""

from __future__ import annotations

from searchkit.ingest.quotes import extract_quotes


def speakers(paragraphs: list[str]) -> list[tuple[str, str | None]]:
    """(text, speaker) of every quote, checking the offsets on the way."""
    out = []
    for p, qs in zip(paragraphs, extract_quotes(paragraphs), strict=True):
        for q in qs:
            assert p[q.start : q.end] == q.text
            out.append((q.text, q.speaker))
    return out


# ---------------------------------------------------------------- the press


def test_the_paper_is_the_outlet_named_last_before_it() -> None:
    paras = [
        "The Dutch press was harsh. Italian daily Il Tempo was kinder about the defeat.",
        '"The better side lost on the night," the paper says.',
    ]
    assert speakers(paras) == [("The better side lost on the night,", "Il Tempo")]


def test_an_outlet_named_as_a_subject_again_and_again() -> None:
    paras = [
        "Corriere leads with the strike. Later, Corriere turns to the budget.",
        'It is gloomy. "The numbers do not add up," the newspaper warns.',
    ]
    assert speakers(paras) == [("The numbers do not add up,", "Corriere")]
    # No outlet named, only a plural after an opening word, or a person: no speaker.
    for opening in ("Ministers met on Monday.", "More questions are raised by Tom Baird. Baird walks out."):
        assert speakers([opening, paras[1]]) == [("The numbers do not add up,", None)]


# ---------------------------------------------------------------- which attribution tags a quote


def test_a_colon_introduces_the_next_quote_and_does_not_tag_the_one_before() -> None:
    p = '"It was a hard race," said Lena Moss. "I am tired now." Coach Piet Vos said: "She ran well."'
    assert speakers([p]) == [
        ("It was a hard race,", "Lena Moss"),
        ("I am tired now.", "Lena Moss"),
        ("She ran well.", "Piet Vos"),
    ]


def test_said_the_nationality_is_a_description_of_someone_named_before() -> None:
    paras = ['Sam Rider won in three sets. "I served well," said the American.']
    assert speakers(paras) == [("I served well,", "Sam Rider")]


def test_a_description_in_the_middle_of_a_sentence_is_not_skipped_over() -> None:
    paras = [
        "Prime Minister Alan Ford arrived in Oslo on Monday.",
        "The prime minister shrugged off claims from opposition leader Ruth Kane that he was tired. "
        'He said: "I feel fine."',
    ]
    assert speakers(paras) == [("I feel fine.", "Alan Ford")]


def test_an_organisation_before_its_initials_speaks() -> None:
    paras = ['The Federation of Small Traders (FST) said it was "deeply worried" by the plan.']
    assert speakers(paras) == [("deeply worried", "Federation of Small Traders")]


def test_a_person_from_an_organisation_before_its_initials() -> None:
    paras = ['"We expect a busy year," Jo Reed, from the Rural Schools Council (RSC) told the BBC.']
    assert speakers(paras) == [("We expect a busy year,", "Jo Reed")]


# ---------------------------------------------------------------- fragments


def test_a_fragment_owned_by_a_speech_word_is_its_owner_s() -> None:
    paras = [
        "Dan Lomax unveiled the broadband plan in March.",
        'Critic Kay Finch attacked Mr Lomax\'s promise to build a "world-class network" by 2010.',
    ]
    assert speakers(paras) == [("world-class network", "Dan Lomax")]
    # Words about someone's comments are the speaker's own.
    assert speakers([paras[0], 'Kay Finch said Mr Lomax\'s comments were "foolish".']) == [("foolish", "Kay Finch")]


def test_a_fragment_tagged_right_after_it() -> None:
    paras = [
        '"We will look at the ruling," a Brightwave spokesman said.',
        'The appeal could take "many more months", the spokesman said.',
    ]
    assert speakers(paras)[1] == ("many more months", "Brightwave")


def test_a_surname_means_the_namesake_named_before_it() -> None:
    paras = [
        "Ruth Abel, whose son was hurt, is suing the club.",
        'Ms Abel\'s lawsuit accuses the club of having "ignored every warning" about the stand that hurt Tim Abel.',
    ]
    assert speakers(paras) == [("ignored every warning", "Ruth Abel")]


# ---------------------------------------------------------------- loose tags


def test_a_tag_by_any_verb_after_a_quote() -> None:
    paras = ["Singer Mia Holt won the prize.", '"I was shaking," she laughed. "Truly shaking!" Holt beamed.']
    assert speakers(paras) == [("I was shaking,", "Mia Holt"), ("Truly shaking!", "Mia Holt")]
    # A clause after a quote whose subject is no speaker is no tag.
    clause = ['"We will see what happens next," the court heard. "It may take a while," the hearing continues.']
    assert [s for _, s in speakers(clause)] == [None, None]


def test_the_magazine_in_a_loose_tag_is_the_outlet() -> None:
    paras = [
        "Music magazine Soundwave named the album its record of the year.",
        '"Nobody saw it coming," the magazine beams.',
    ]
    assert speakers(paras) == [("Nobody saw it coming,", "Soundwave")]


# ---------------------------------------------------------------- organisations by their kind


def test_the_company_is_the_last_organisation_that_spoke() -> None:
    paras = [
        "Games maker Brightforge has banned 5,000 players for cheating.",
        'In a statement Brightforge also said the bans were final. The company said: "Cheats spoil the game for all."',
    ]
    assert speakers(paras) == [("Cheats spoil the game for all.", "Brightforge")]


def test_the_company_is_never_a_person_who_spoke() -> None:
    paras = ['"We are pleased," said Lena Marsh. "Sales rose by a tenth," the company said.']
    assert speakers(paras) == [("We are pleased,", "Lena Marsh"), ("Sales rose by a tenth,", None)]


def test_a_sentence_about_the_band_is_the_band_named_with_its_kind() -> None:
    paras = [
        "Welsh band Copper Harbour won two awards on Tuesday.",
        'The band - whose debut sold a million copies - thanked "every single fan", adding: "We owe it all to you."',
    ]
    assert speakers(paras) == [("every single fan", "Copper Harbour"), ("We owe it all to you.", "Copper Harbour")]


# ---------------------------------------------------------------- clause subjects


def test_a_fragment_is_the_clause_subject_with_an_attitude_verb() -> None:
    paras = ['And like the others, Gazzetta criticises Tom Baird for his "lazy" running. Gazzetta is blunt.']
    assert speakers(paras) == [("lazy", "Gazzetta")]


def test_a_quote_introduced_by_a_colon_is_the_introducing_clause_s() -> None:
    paras = [
        "Reporter Nina Vogel covered the final.",
        'On a cold evening, Vogel offers one clear verdict: "The better side won."',
    ]
    assert speakers(paras) == [("The better side won.", "Nina Vogel")]


# ---------------------------------------------------------------- no speaker rather than a wrong one


def test_he_is_never_a_name_of_common_words() -> None:
    paras = [
        'The opposition leader spoke in his New Year message. The new year would be "hard for families," he added.',
        'The Foreign Office had been told. "The plan is sound," he said.',
    ]
    assert [s for _, s in speakers(paras)] == [None, None]


def test_claims_of_something_names_no_speaker_after_it() -> None:
    paras = [
        "Coach Tom Hale spoke on Monday. The report proved claims of a rift between Catholics and Protestants "
        'were "wrong", Mr Hale said. "It is a great day for the club," he added.'
    ]
    assert [s for _, s in speakers(paras)] == ["Tom Hale", "Tom Hale"]


# ---------------------------------------------------------------- no speaker rather than a wrong one


def test_descriptors_in_front_of_a_name_are_stripped() -> None:
    paras = [
        'Cork-born Nell Darcy was first home. "I was nervous," said Teenager Tam Ives.',
        '"It was hard," said MP Owen Rudd.',
        '"It was fun," said DJ Rob Stone.',
        '"It was loud," said DJ Zapper.',
    ]
    assert [s for _, s in speakers(paras)] == ["Tam Ives", "Owen Rudd", "Rob Stone", "DJ Zapper"]
    assert speakers(['Cork-born Nell Darcy said she felt "wonderful".']) == [("wonderful", "Nell Darcy")]


def test_a_party_or_nationality_word_alone_is_no_speaker() -> None:
    paras = ['Fen Lodge scored. The Lib Dem said the plan was "a mess", and the Dutchman said it was "grim".']
    got = dict(speakers(paras))
    assert got["a mess"] is None
    assert got["grim"] != "Dutchman"


def test_the_nationality_noun_is_the_person_talked_about() -> None:
    paras = ["Ruud Kamper scored twice for Vale.", '"We won," the Dutchman said.']
    assert speakers(paras) == [("We won,", "Ruud Kamper")]


def test_a_person_named_after_an_organisation_s_possessive_or_role() -> None:
    paras = [
        '"We are thrilled," said Velvet Engine\'s Tom Marsh.',
        '"We are ready," said Vortex spokeswoman, Anna Berg.',
    ]
    assert [s for _, s in speakers(paras)] == ["Tom Marsh", "Anna Berg"]


def test_a_spokesman_speaks_for_the_whole_organisation_name() -> None:
    paras = ['A Department for Farming and Fisheries spokeswoman said: "We will look again."']
    assert speakers(paras) == [("We will look again.", "Department for Farming and Fisheries")]


def test_a_peer_with_a_seat_is_not_the_place() -> None:
    paras = ['Lord Hobbs of Kendal, in his report, said: "The rules are plain."']
    assert speakers(paras)[0][1] in ("Lord Hobbs", "Lord Hobbs of Kendal")


def test_a_plural_or_gerund_opening_a_sentence_is_no_speaker() -> None:
    paras = ['Critics said the plan was "reckless". Campaigners said it was "doomed".']
    assert [s for _, s in speakers(paras)] == [None, None]


def test_a_role_after_a_name_or_alone_is_not_part_of_it() -> None:
    paras = [
        'Rita Vale MP said the law was "broken". Ms Vale has campaigned for years.',
        'The Eastfold Marsh MP said the vote was "rigged".',
        'The Planning Minister said it was "fine".',
        '"It was a mess," said Under-Secretary Tom Ladd.',
        '"We played well," said Wing Remy Fabre.',
    ]
    assert [s for _, s in speakers(paras)] == ["Rita Vale", None, None, "Tom Ladd", "Remy Fabre"]


def test_a_minister_named_after_the_department() -> None:
    assert speakers(['"We will act," said Farming minister Nia Wood of the plan.']) == [("We will act,", "Nia Wood")]


def test_a_month_is_no_speaker() -> None:
    assert speakers(['Campaigner Ross Dale in March said he was tired of "excuses".']) == [("excuses", "Ross Dale")]


def test_a_sentence_whose_subject_is_a_role_of_a_place() -> None:
    paras = [
        "Dan Forde won the seat in May.",
        'The Eastfold Marsh MP, who was re-elected, accused Ms Lowe of a "cynical stunt".',
        'The EU\'s Fisheries Commissioner, Ilse Brandt, was quoted as saying it was "too late".',
    ]
    assert [s for _, s in speakers(paras)] == ["Dan Forde", "Ilse Brandt"]


def test_saying_colon_is_the_sentence_subject_s() -> None:
    paras = [
        'Deputy leader Ola Brenn mocked the launch, saying: "It was the worst show I have seen." '
        "Voters had been misled, said Ken Ashe."
    ]
    assert speakers(paras) == [("It was the worst show I have seen.", "Ola Brenn")]


def test_a_gloss_is_words_quoted_as_words_not_speech() -> None:
    paras = ['Ana Ruiz told a rally that Lumen - Latin for "light" - would fight the "old parties".']
    assert speakers(paras) == [("old parties", "Ana Ruiz")]


def test_a_name_ending_in_s_as_an_owner_gives_the_full_form() -> None:
    paras = [
        "Stars have signed up for Tomas Reyes' new show, the comedian said.",
        '"We wanted the best," said Reyes.',
    ]
    assert speakers(paras) == [("We wanted the best,", "Tomas Reyes")]


# ---------------------------------------------------------------- relative clauses


def test_a_relative_clause_with_a_reporting_verb_is_its_name_s() -> None:
    paras = [
        "Prime Minister Ada Quill opened the summit on Monday.",
        'Ms Quill, who has described the deal as a "lifeline" for farmers, has already said trade is a priority.',
        'Labour\'s Tom Varley, who says he is "standing firm", had accused the board of being "reckless".',
        'Rival bidder Omar Deen met Lisa Park, who called the offer "derisory".',
    ]
    assert speakers(paras) == [
        ("lifeline", "Ada Quill"),
        ("standing firm", "Tom Varley"),
        ("reckless", "Tom Varley"),
        ("derisory", "Lisa Park"),
    ]


def test_a_relative_clause_after_a_description_or_of_phrase_names_no_one() -> None:
    paras = [
        'The minister, who called the plan "a gamble", left early.',
        'Her aunt, the widow of Duke Ivo of Narsland, who said the house was "cold", has died.',
    ]
    assert speakers(paras) == [("a gamble", None), ("cold", None)]


# ---------------------------------------------------------------- a fragment's sentence subject


def test_a_fragment_is_the_subject_of_a_later_sentence_not_its_object() -> None:
    paras = [
        'The vote was close. Vantor described the merger as a "new chapter" for the group. Shares in Vantor rose.',
        'The match ended late. Gazzetta criticises Tom Baird for his "lazy" running. Readers of Gazzetta agree.',
    ]
    assert speakers(paras) == [("new chapter", "Vantor"), ("lazy", "Gazzetta")]


def test_the_target_of_a_passive_attitude_verb_is_no_speaker() -> None:
    paras = [
        'Tom Baird, 52, is accused of "directing" a fraud at the firm he founded.',
        'Anna Kell joined the club in 1990. Kell was described as a "true professional" by her coach.',
        'Plans to sell the port have been branded "deeply irresponsible" by the Green Party.',
    ]
    assert speakers(paras) == [("directing", None), ("true professional", None), ("deeply irresponsible", None)]


def test_a_word_capitalised_only_where_a_sentence_opens_is_no_speaker() -> None:
    paras = ['Anger over the cuts has grown, with many saying they were "unjustified". Ann Bell agreed.']
    assert speakers(paras) == [("unjustified", None)]
    # A plural of initials opening a later sentence is a thing, not a speaker.
    paras = ['Sales rose. PVRs record shows to a disk, letting viewers "time shift" them. Many PVRs are sold.']
    assert speakers(paras) == [("time shift", None)]


def test_a_description_that_opens_the_sentence_is_never_the_object_named_after_it() -> None:
    paras = [
        "London mayor Ken Varley met the press.",
        'The mayor accused Oliver Penn, of the Daily Courier, of "doorstepping" him at a party.',
        'The judges praised Ann Bell for her "moving and humane" novel.',
    ]
    # the mayor is the one the article made mayor, never the man accused
    assert speakers(paras) == [("doorstepping", "Ken Varley"), ("moving and humane", None)]


# ---------------------------------------------------------------- a role as the speaker


def test_a_role_is_the_person_the_article_gave_it_by_title_not_the_one_named_last() -> None:
    paras = [
        "Prime Minister Alan Forde visited Harlow on Monday.",
        "Harlow mayor Ines Calloway also spoke at the event, praising the plan.",
        'Later the prime minister said: "We will build more homes."',
    ]
    assert speakers(paras) == [("We will build more homes.", "Alan Forde")]


def test_a_role_given_in_apposition_names_its_holder() -> None:
    paras = [
        "Ines Calloway, the mayor of Harlow, opened the bridge.",
        "Alan Forde sent a message of support.",
        'The mayor then says: "It is a great day for the town."',
    ]
    assert speakers(paras) == [("It is a great day for the town.", "Ines Calloway")]


def test_a_role_nobody_holds_is_not_the_person_given_another_office() -> None:
    paras = [
        "Harlow mayor Ines Calloway opened the bridge on Monday.",
        'Later the prime minister said: "We will build more homes."',
    ]
    assert speakers(paras) == [("We will build more homes.", None)]
    # a role the article gave nobody, said of a person it gave none: that person
    paras = ["Tom Reed scored twice for Harlow on Saturday.", '"I was lucky," the striker said.']
    assert speakers(paras) == [("I was lucky,", "Tom Reed")]


def test_a_role_two_people_hold_names_no_one() -> None:
    paras = [
        "Chief executive Jane Roe of Acme met Bolt chief executive Dev Patel.",
        '"We are pleased with the deal," the chief executive said.',
    ]
    assert speakers(paras) == [("We are pleased with the deal,", None)]


def test_a_qualified_role_is_another_office() -> None:
    paras = [
        "Shadow Chancellor Rhys Morgan attacked the budget.",
        'The chancellor said: "The figures speak for themselves."',
    ]
    assert speakers(paras) == [("The figures speak for themselves.", None)]


def test_a_place_in_the_description_picks_one_of_two_holders() -> None:
    paras = [
        "Leeds chairman Ravi Anand and Chester chairman Owen Blake met on Monday.",
        'Rush was sacked later. "It was a hard decision," said the Chester chairman.',
    ]
    assert speakers(paras) == [("It was a hard decision,", "Owen Blake")]


def test_a_role_opening_a_fragment_sentence_is_its_holder() -> None:
    paras = [
        "Harlow mayor Ines Calloway opened the bridge.",
        "Alan Forde sent a message of support.",
        'The mayor accused the council of "dragging its feet".',
    ]
    assert speakers(paras) == [("dragging its feet", "Ines Calloway")]


def test_a_name_in_commas_after_a_titled_description_before_an_auxiliary() -> None:
    paras = [
        'The new Chairman, Arthur Pell, has said "the club will change".',
        'Their lawyer, Omar Haddad, said: "We will appeal against the ruling."',
    ]
    assert speakers(paras) == [
        ("the club will change", "Arthur Pell"),
        ("We will appeal against the ruling.", "Omar Haddad"),
    ]
