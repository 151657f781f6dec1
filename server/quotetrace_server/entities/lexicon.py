"""Small generic English word lists for recognising names, titles and organisations.

Only closed-class words and common news vocabulary live here; nothing specific to any
article. All entries are lower case.
"""

from __future__ import annotations

import re

from nameparser.config import CONSTANTS as _NAMEPARSER


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` (keeps long lists readable)."""
    return frozenset(words.split())


# Base forms of reporting verbs in news English (attribution/cues.py undoes their inflections).
SPEECH_VERBS = word_set(
    """
    say tell add state reply confirm warn note explain insist claim argue declare announce
    stress thank predict pledge promise vow greet write cite call describe recall ask answer
    respond suggest admit acknowledge deny urge accuse comment remark reveal indicate report
    mention assert contend observe concede complain boast joke quip tweet post toast
    emphasise emphasize underline agree caution charge demand estimate forecast hint
    maintain reiterate repeat shout whisper dub label brand question counter conclude
    proclaim exclaim lament allege blast slam criticise criticize praise assure tout recount
    testify speak read continue describe concur retort snap muse condemn denounce decry
    lambast rebuke scold hail dismiss interject scoff
    """
)
# The commonest of them: lead-in words two printings share that tell nothing about the
# remark (index.clustering's same-frame rule). The rule has always left the rarer verbs
# as shared words.
COMMON_SPEECH_VERBS = word_set("say tell add state confirm reply note stress warn insist")

HONORIFICS: dict[str, str | None] = {
    "mr": "male",
    "mr.": "male",
    "mrs": "female",
    "mrs.": "female",
    "ms": "female",
    "ms.": "female",
    "miss": "female",
    "mx.": None,
    "dr": None,
    "dr.": None,
    "sir": "male",
    "dame": "female",
    "lord": "male",
    "lady": "female",
}

# Words that, directly before a name, say what the person is (stripped from canonical names).
TITLES = word_set(
    """
    president prime minister secretary secretary-general director chairman chairwoman chair
    chief spokesman spokeswoman spokesperson leader marshal general gen. admiral colonel col.
    major captain capt. lieutenant lt. sergeant sgt. commander fellow professor prof. doctor
    senator sen. representative rep. governor gov. mayor king queen prince princess emperor
    pope ambassador envoy judge justice chancellor premier deputy vice head editor
    correspondent analyst expert researcher official officer adviser advisor aide
    founder ceo executive manager coach strategist reporter journalist economist scientist activist
    lawyer attorney candidate nominee lawmaker legislator congressman congresswoman councillor
    councilor commissioner inspector superintendent president-elect undersecretary diplomat
    cosmonaut astronaut reverend rev. bishop archbishop cardinal imam rabbi sheikh dictator
    strongman tycoon billionaire businessman businesswoman premier vice-president
    vice-chairman treasurer prosecutor sheriff detective constable trooper paramedic
    firefighter lifeguard surgeon physician epidemiologist virologist chaplain headteacher
    headmaster headmistress comptroller auditor magistrate solicitor barrister ombudsman
    curator novelist playwright filmmaker historian goalkeeper striker midfielder defender
    campaigner organiser organizer fisherman fishermen policeman policewoman councilman
    councilwoman alderman assemblyman assemblywoman footballer cricketer interviewer
    moderator presenter narrator forecaster meteorologist jockey recorder cfo coo cto cio
    pastor priest vicar deacon preacher parson curate
    """
)

# The name key (index.names: "President Ana Novak" and "Mrs. Novak" share the key "novak")
# drops nameparser's titles and NAME_KEY_TITLES before a name: the titles above and the
# honorifics, without their full stops, but for TITLES_KEPT_IN_NAME_KEYS, and with
# NAME_KEY_ONLY_WORDS. The two lists grew apart: TITLES with the attribution probe rounds
# ("goalkeeper", "jockey", "strategist"), the name key's words as first written in
# index/names.py. A name key is stored with every indexed speaker's aliases, so dropping
# the kept titles as well ("Striker Ana Novak" is keyed "striker ana novak") would re-key
# stored speakers: a change of its own, not one of where the words live.
TITLES_KEPT_IN_NAME_KEYS = word_set(
    """
    advisor aide analyst official fellow nominee candidate strategist interviewer moderator
    presenter reporter forecaster meteorologist epidemiologist virologist astronaut
    cosmonaut auditor ombudsman undersecretary president-elect vice-president
    vice-chairman cio cto major inspector superintendent
    constable trooper prosecutor recorder lawmaker legislator congressman congresswoman
    assemblyman assemblywoman councilman councilwoman councilor campaigner organiser
    organizer billionaire tycoon strongman dictator filmmaker firefighter paramedic
    lifeguard fisherman fishermen policeman policewoman headmaster headmistress headteacher
    footballer cricketer goalkeeper striker midfielder defender jockey pastor priest vicar
    deacon preacher parson curate
    """
)
# Dropped from a name's key though they are no TITLES: office words that lead a title
# ("Foreign Minister", "Interior Minister", "Supreme Leader", "State Secretary"), roles
# the attribution stage has not taken for titles ("Chairperson", "Cofounder"), and "the"
# ("The Rev. Ana Novak").
NAME_KEY_ONLY_WORDS = word_set(
    "foreign defence defense interior supreme state chairperson cofounder the"
)
NAME_KEY_TITLES = (
    frozenset(word.rstrip(".") for word in TITLES | HONORIFICS.keys()) - TITLES_KEPT_IN_NAME_KEYS
) | NAME_KEY_ONLY_WORDS

# Titles that name a kind of a more general role, so a later "the judge" or "the officer"
# can point back to the person first given the specific title ("Recorder Ana Ruiz").
GENERAL_ROLES: dict[str, str] = {
    "justice": "judge",
    "recorder": "judge",
    "magistrate": "judge",
    "detective": "officer",
    "constable": "officer",
    "sergeant": "officer",
    "inspector": "officer",
    "superintendent": "officer",
    "surgeon": "doctor",
    "physician": "doctor",
    "senator": "lawmaker",
    "congressman": "lawmaker",
    "congresswoman": "lawmaker",
    "legislator": "lawmaker",
    "representative": "lawmaker",
    "assemblyman": "lawmaker",
    "assemblywoman": "lawmaker",
}

# Words that make a title a different office: the shadow minister, a deputy mayor or a vice
# chancellor is not "the minister", "the mayor" or "the chancellor" of a later sentence.
OFFICE_QUALIFIERS = word_set("shadow deputy vice assistant")

# "She used to say", "as he liked to say", "as she is fond of saying": words of habit that
# stand between a subject and its speech verb like an auxiliary.
HABITUAL_PHRASES = (
    ("used", "to"),
    ("liked", "to"),
    ("likes", "to"),
    ("loved", "to"),
    ("loves", "to"),
    ("fond", "of"),
)

# Speech verbs of a reply that are other verbs without "back": "Ruiz shot back", "she hit
# back", "he fired back" (forms as written, the verb before "back").
BACK_SPEECH_VERBS: dict[str, str] = {
    "shot": "shoot",
    "shoots": "shoot",
    "fired": "fire",
    "fires": "fire",
    "hit": "hit",
    "hits": "hit",
}

# Labels that open a transcript line ("HOST: “…”", "Q: “…”", "A. “…”"): the interviewer's
# (nobody named) and the answerer's (the person the interview is with).
QUESTION_LABELS = word_set("q question host interviewer moderator anchor presenter reporter caller")
ANSWER_LABELS = word_set("a answer")

# Crowd voicing: "“Fees down!” the students chanted" is a slogan a crowd repeats, nobody's
# own remark, so the quotation has no speaker even when a person is named nearby.
CHANT_VERBS = word_set("chant chants chanted chanting")

# Phrases that give a person's other, shorter name ("Abdirahman Hashi, who goes by Abdi").
ALIAS_INTRODUCERS = ("goes by", "go by", "went by", "known as", "nicknamed")

# Occupations that lead a name as a role ("Chef Ottavio Russo", "Industrialist Ana Ruiz"):
# nameparser's public title list holds ranks, occupations and modifiers ("National",
# "Royal"); its agent nouns are the occupations. The modifiers and surnames that end like
# agent nouns are left out, and a few common occupations it lacks are added.
_AGENT_ENDINGS = ("ist", "er", "or", "ian", "ess", "eer", "ant", "ent")
_NOT_OCCUPATIONS = word_set(
    """
    business computer excellent soccer theater banner prior ritter marcher warrant superior
    senior highness holiness edler meneer
    """
)
OCCUPATIONS = frozenset(
    t
    for t in _NAMEPARSER.titles
    if t.isalpha() and len(t) > 4 and t.endswith(_AGENT_ENDINGS) and t not in _NOT_OCCUPATIONS
) | word_set("chef sculptor potter florist vintner nurse midwife")

# Auxiliaries of an English passive ("Her words were echoed by ...").
PASSIVE_AUXILIARIES = word_set("was were is are been be being")
# Participles that pass someone's own words on unchanged: after "X's statement was read by
# Y", the words are still X's, whereas after "echoed/answered/mocked by Y" Y speaks.
WORD_PASSING_VERBS = word_set(
    """
    read delivered relayed released issued posted published shared conveyed passed given
    sent forwarded quoted cited reported broadcast translated interpreted written signed
    """
)

# Hyphens that join the parts of one word ("Jae-myung", "al-Masri", "Secretary-General"):
# the hyphen-minus, U+2010 and the non-breaking U+2011.
HYPHEN_MARKS = "-\u2010\u2011"
# Dashes that set a phrase apart ("— Reuters", "the port – and the town – flooded"); a
# hyphen-minus between spaces does the same in plain-text copy.
DASH_MARKS = "\u2013\u2014"

# Lower-case particles inside a person's name ("Willem van der Berg", "María de la Cruz"):
# they do not break a run of capitalised name words.
NAME_PARTICLES = word_set(
    "van von der den de del della delle dello degli dei dal dalla di da dos das du la le ter "
    "ten bin bint ibn ben"
)
# Capitalised Irish and Scottish Gaelic particles that open a surname ("Peadar Ó Súilleabháin",
# "Siobhán Ní Bhriain"): "Ó Súilleabháin" alone is the surname, not a given name and surname.
GAELIC_PARTICLES = word_set("ó ní nic mac mhic uí ua")
# Abbreviations that open a surname written apart ("Marian St. Clair" -> "St. Clair said"),
# as name parts (lower case, without their full stop).
SURNAME_ABBREVIATIONS = word_set("st ste")

# Particles glued to a capitalised part by a hyphen ("al-Masri", "el-Sayed"): such a word
# is a capitalised name word although its first letter is lower case.
HYPHENATED_PARTICLES = word_set("al el ad ash as at az ed ul bin ibn abu")

TITLE_SUFFIXES = ("-born", "-based", "-led", "-backed")

# Generational suffixes that close a person's name ("Ana Ruiz Jr.", "Bo Lind III"): the
# surname a later mention repeats is the word before them.
NAME_SUFFIXES = word_set("jr jr. sr sr. ii iii iv")
# The same suffixes as the generation they name ("Junior" / "Jr."): a father and a son who
# share a name ("Ana Ruiz Sr." / "Ana Ruiz Jr.") are two people.
GENERATIONS: dict[str, str] = {
    "jr": "jr", "jnr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr",
    "ii": "ii", "iii": "iii", "iv": "iv",
}  # fmt: skip

# Respellings under which transliterations of one name agree, as (pattern, replacement) on
# folded lower-case letters: "Tchernov" / "Chernov" (French and English romanisations of
# Cyrillic ч), "Mariya" / "Maria" (ия written "iya" or "ia").
TRANSLITERATION_RESPELLINGS: tuple[tuple[str, str], ...] = (
    (r"^tch", "ch"),
    (r"iy(?=[aeou])", "i"),
)

# Abbreviated titles and the word they stand for ("Gov. Ana Ruiz" is "the governor").
TITLE_ABBREVIATIONS: dict[str, str] = {
    "gov.": "governor",
    "gov": "governor",
    "sen.": "senator",
    "rep.": "representative",
    "gen.": "general",
    "lt.": "lieutenant",
    "col.": "colonel",
    "capt.": "captain",
    "sgt.": "sergeant",
    "prof.": "professor",
    "dr.": "doctor",
    "dr": "doctor",
    "pres.": "president",
    "sec.": "secretary",
    "supt.": "superintendent",
    "insp.": "inspector",
    "cmdr.": "commander",
    "adm.": "admiral",
    "amb.": "ambassador",
    "rev.": "reverend",
    "atty.": "attorney",
    "ceo": "executive",
}

# Last words that make a capitalised run an organisation.
ORG_HEADS = word_set(
    """
    house kremlin pentagon ministry department agency council committee commission government
    administration office party army navy military police foundation institute institution
    university college school group company corporation corp. inc. inc ltd. ltd bank fund
    times post news press journal herald tribune guardian telegraph reuters media television
    tv radio network association organisation organization
    union alliance assembly parliament congress senate court service forces command fleet
    endowment center centre club federation league society board bureau authority
    commission embassy consulate nato foods motors airlines airways rail railways systems
    technologies industries holdings pharmaceuticals laboratories logistics telecom
    chemicals studios enterprises ventures insurance hospital clinic museum library
    directorate inspectorate secretariat trust therapeutics biosciences fc afc
    homes properties developments builders
    """
)

# Words that join the names in an organisation's name ("Bank of Ostrava", "Fox & Hound").
ORG_NAME_JOINERS = word_set("the of and &")

# Multi-word or single names that are organisations whatever precedes them.
ORG_NAMES = frozenset(
    {"white house", "blue house", "kremlin", "pentagon", "nato", "downing street"}
)

# Lower-case heads of noun phrases that denote an organisation speaking ("the military said").
ORG_NOMINAL_HEADS = word_set(
    """
    military ministry government police army navy agency council committee administration
    department embassy court company parliament party cabinet regime presidency office
    commission secretariat authorities firm union hospital club airline carrier bank
    retailer insurer manufacturer broadcaster charity regulator watchdog publisher
    """
)
# Of those, the heads that name no particular kind of organisation: "the company" may be
# the one organisation the article has just named, whatever that one's name is ("the club":
# a football club's name need not say "club", "Harbour City FC").
GENERIC_ORG_HEADS = word_set("company firm club")
# Words in an organisation's name that a lower-case head refers to ("the airline" is
# "Skyvale Airways").
ORG_HEAD_FORMS: dict[str, frozenset[str]] = {
    "airline": word_set("airline airlines airways air"),
    "carrier": word_set("airline airlines airways air"),
    "club": word_set("club fc afc"),
}

# Lower-case heads of noun phrases that denote a person or people left unnamed.
UNNAMED_PERSON_HEADS = word_set(
    """
    official officials expert experts analyst analysts source sources spokesman spokeswoman
    spokesperson diplomat diplomats officer officers observer observers witness witnesses
    resident residents person people researcher researchers scientist scientists critic
    critics lawmaker lawmakers aide aides adviser advisers advisor advisors insider insiders
    commentator commentators economist economists executive executives leader leaders
    minister ministers member members worker workers activist activists reporter reporters
    journalist journalists man woman men women someone somebody one rebels protesters
    demonstrators militants soldiers troops fighters villagers farmers students teachers
    doctors nurses voters fans victims survivors families parents relatives neighbours
    neighbors locals residents citizens friend friends relative neighbour neighbor colleague
    colleagues cousin brother sister son daughter mother father wife husband partner
    supporter supporters ally allies associate associates classmate employee employees
    grandson granddaughter grandchild grandchildren grandfather grandmother grandparent
    grandparents nephew niece uncle aunt widow widower stepson stepdaughter stepfather
    stepmother fiance fiancé fiancee fiancée sibling siblings twin child children opponent
    opponents rival rivals challenger challengers teammate teammates bandmate bandmates
    flatmate flatmates housemate housemates roommate roommates crewmate crewmates
    """
)

# "Her opponent countered": the other one of the two people who have just been speaking.
ADVERSARY_NOUNS = word_set("opponent rival challenger")

# Family relations: "her husband said" points back to the person named in apposition to the
# same relation earlier ("Ana Ruiz and her husband, Bo Ruiz, ran the shop").
KINSHIP_NOUNS = word_set(
    """
    husband wife partner son daughter mother father brother sister widow widower grandson
    granddaughter grandfather grandmother uncle aunt nephew niece cousin stepson stepdaughter
    stepfather stepmother fiance fiancé fiancee fiancée
    """
)

# "the younger Ruiz", "the elder Ruiz": which of two relatives sharing a surname is meant,
# told by the relation one of them was introduced with ("Bo Ruiz and his son, Teo").
GENERATION_WORDS: dict[str, str] = {"younger": "younger", "elder": "elder", "older": "elder"}
YOUNGER_KIN = word_set("son daughter grandson granddaughter stepson stepdaughter nephew niece")
ELDER_KIN = word_set("father mother grandfather grandmother stepfather stepmother uncle aunt")

# The gender a singular person noun tells: "A spokeswoman said …. “…,” she said." has the
# unnamed spokeswoman, not a person named before, as the antecedent of "she".
PERSON_NOUN_GENDERS: dict[str, str] = {
    **dict.fromkeys(
        word_set(
            """
            spokeswoman chairwoman woman mother wife daughter sister widow grandmother aunt
            niece granddaughter businesswoman policewoman congresswoman councilwoman
            headmistress girl stepmother stepdaughter fiancee fiancée
            """
        ),
        "female",
    ),
    **dict.fromkeys(
        word_set(
            """
            spokesman chairman man father husband son brother widower grandfather uncle
            nephew grandson businessman policeman congressman councilman headmaster boy
            stepfather stepson fiance fiancé
            """
        ),
        "male",
    ),
}

# "the two-time champion", "the mother of three": a description that says what one person
# is known for, about someone the article has just introduced.
REPEAT_EPITHET = re.compile(r"^[a-z0-9]+-times?$")


def is_epithet_phrase(lower_words: list[str]) -> bool:
    """ "the two-time world champion", "the mother of three"."""
    if len(lower_words) < 2 or lower_words[0] != "the":
        return False
    if any(REPEAT_EPITHET.match(w) for w in lower_words[1:-1]):
        return True
    return (
        len(lower_words) == 4
        and lower_words[1] in KINSHIP_NOUNS
        and lower_words[2] == "of"
        and (lower_words[3] in NUMBER_WORDS or lower_words[3].isdigit())
    )


# Singular nouns for several people at once ("the couple said"): they speak for no one
# person, so the quotation's speaker is unknown rather than one of the people named before.
# "the defence argued", "the prosecution said": a side's lawyers, several people at once.
COLLECTIVE_PERSON_HEADS = word_set(
    "couple pair duo trio family household crew panel jury defence defense prosecution"
)

# First words that make a capitalised run a place or direction, not a person.
PLACE_FIRST_WORDS = word_set(
    "north south east west northern southern eastern western central far upper lower new"
)
PLACE_HEADS = word_set(
    """
    sea ocean river lake mountain mountains island islands city state states republic kingdom
    province region street square avenue road airport station base peninsula strait bay gulf
    valley county district territory spaceport port harbour harbor palace
    bridge tower east west north south war summit forum games cup olympics
    """
)

# Month names and their abbreviations, with the month's number (a dateline's "Sept. 3").
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}
WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
MONTHS_AND_DAYS = frozenset(MONTH_NUMBERS) | WEEKDAYS

# Capitalised only because they open a sentence; never part of a name.
FUNCTION_WORDS = word_set(
    """
    a an the in on at after before while when as but and or for from with since during
    among ahead earlier later it its this that these those he she they we i his her their
    our my your some many other others both neither either asked according despite though
    although if even just still amid by of to upon into about against across over under
    then there here what which who whom whose why how where also meanwhile however so yet
    once now today yesterday tomorrow last next all every each any no not more most such
    only than unlike like until unless because whether instead besides beyond within without
    throughout toward towards via per you me us them him one two three outside inside behind
    """
)

# Nationality words: "the German", "said the 56-year-old Briton" describe a person, they do
# not name one (a speaker named "German" is never right).
DEMONYMS = word_set(
    """
    american british briton english scottish scot welsh irish german french frenchman
    frenchwoman italian spanish spaniard portuguese dutch dutchman belgian swiss austrian
    swede swedish norwegian dane danish finn finnish icelandic pole polish czech slovak
    hungarian romanian bulgarian greek turk turkish russian ukrainian belarusian serb serbian
    croat croatian bosnian albanian georgian armenian israeli palestinian iranian iraqi
    syrian lebanese jordanian saudi egyptian moroccan algerian tunisian libyan nigerian
    ghanaian kenyan ethiopian somali sudanese african indian pakistani afghan bangladeshi
    chinese japanese korean vietnamese thai filipino indonesian malaysian singaporean
    australian canadian mexican brazilian argentine argentinian chilean colombian peruvian
    venezuelan cuban european asian latino kiwi aussie yankee new zealander
    """
)

# Party words that, like a nationality, describe a person named elsewhere: "the Vermont
# Republican said", "the veteran Democrat said".
PARTY_MEMBERS = word_set("republican democrat tory socialist communist")
# Words that open an apposition naming one of several ("signed by forty residents, including
# X", "among them X"): the named one is not the speaker of what all of them signed.
ONE_OF_SEVERAL_OPENERS = word_set("among amongst including notably especially")

# Nouns that say what kind of person someone is, never who.
DESCRIPTIVE_NOUNS = DEMONYMS | PARTY_MEMBERS

# "the former said", "the latter insisted": which of the two people named last is meant.
PAIR_REFERENCES: dict[str, int] = {"former": 0, "latter": 1}

# Things that "say" in news copy without being anyone: "the report said".
DOCUMENT_NOUNS = word_set(
    """
    report study document letter filing complaint indictment survey poll data website video
    statement post tweet ruling order memo lawsuit suit paper book article story analysis
    release notice forecast advisory bulletin update announcement decision verdict law bill
    """
)

# Works whose titles the writer puts in quotation marks ("her book, “The Quiet Harbour,”").
WORK_NOUNS = word_set(
    """
    book novel memoir biography film movie documentary song album single play musical opera
    series show podcast painting exhibition poem essay column episode programme program
    """
)

PERSON_PRONOUNS: dict[str, str | None] = {
    "he": "male",
    "she": "female",
}
PLURAL_PRONOUNS = frozenset({"they"})
# The same person's pronouns as an object ("quoted him as saying") and a possessive ("his
# assistant"), with the gender they tell.
OBJECT_PERSON_PRONOUNS: dict[str, str | None] = {"him": "male", "her": "female"}
POSSESSIVE_PERSON_PRONOUNS: dict[str, str | None] = {"his": "male", "her": "female"}
# "his lawyer", "their coach": someone's agent or relative, left unnamed by the phrase.
POSSESSIVE_DETERMINERS = frozenset(POSSESSIVE_PERSON_PRONOUNS) | word_set("its their our my your")
SUBJECT_PRONOUNS = word_set("i we you he she it they")
# A printed speaker mention that is one of these names nobody by itself ("he said", "said
# who"): the paragraphs around it stand for the speaker (verify.verifier).
MENTION_PRONOUNS = SUBJECT_PRONOUNS | word_set("him her them his hers who")

PREPOSITIONS = word_set(
    """
    at of from in with for on to by about into onto over under between among against across
    after before during without within through toward towards via per near behind beside
    despite like than upon around off
    """
)

DETERMINERS = word_set(
    "a an the another some one two three several many this that his her its their our"
)
COPULAS = word_set("is are was were be been being am")
# Words that turn a statement into its opposite ("will" / "will not"): a claim and a
# printing that differ in them say different things, however close their meaning vectors.
NEGATIONS = word_set("not no never nothing nobody none neither nor nowhere cannot without")
AUXILIARIES = word_set("be is are was were am been being do does did have has had will would")
AUXILIARIES |= word_set("shall should can could may might must")
# Words of a lemma key (index.similarity) that carry no content: a fragment made only of
# them ("of the", "it is") says nothing about which remark it comes from. Not FUNCTION_WORDS,
# which tells the words capitalised only because they open a sentence ("Today", "Asked"):
# these are the auxiliaries, pronouns in every case, "say" and "tell", and the pieces a
# contraction leaves ("s", "ll").
LEMMA_FUNCTION_WORDS = AUXILIARIES | word_set(
    """
    a an the and or but nor so yet if then than that those this these there here of in on
    at by for with from to into onto upon about over under after before between through
    during without within against among as like i me my mine we us our ours you your yours
    he him his she her hers it its they them their theirs who whom whose which what when
    where why how all any both each every few many more most much other some such no not
    only own same too very just also say said tell told add added s t ll ve re d m one two
    up down out off again further once done having
    """
)
# Irregular forms of frequent English verbs (and "be", and the modals' past forms) and the
# base form a lemma key writes for them (index.similarity: "came" is "come").
IRREGULAR_VERB_BASES: dict[str, str] = {
    form: base
    for base, forms in (
        ("be", "am is are was were been being"),
        ("have", "has had having"),
        ("do", "does did done"),
        ("come", "came comes coming"),
        ("go", "went gone goes"),
        ("say", "said says"),
        ("make", "made makes"),
        ("take", "took taken"),
        ("give", "gave given"),
        ("get", "got gotten"),
        ("see", "saw seen"),
        ("know", "knew known"),
        ("think", "thought"),
        ("tell", "told"),
        ("find", "found"),
        ("leave", "left"),
        ("feel", "felt"),
        ("bring", "brought"),
        ("begin", "began begun"),
        ("keep", "kept"),
        ("hold", "held"),
        ("stand", "stood"),
        ("win", "won"),
        ("lead", "led"),
        ("meet", "met"),
        ("pay", "paid"),
        ("send", "sent"),
        ("build", "built"),
        ("spend", "spent"),
        ("fight", "fought"),
        ("become", "became"),
        ("buy", "bought"),
        ("mean", "meant"),
        ("speak", "spoke spoken"),
        ("write", "wrote written"),
        ("choose", "chose chosen"),
        ("grow", "grew grown"),
        ("lose", "lost"),
        ("hear", "heard"),
        ("will", "will would"),
        ("can", "could"),
        ("shall", "should"),
        ("may", "might"),
    )
    for form in forms.split()
}
# Demonstratives a lemma key folds into one ("this" is "that"): a translation or a re-edit
# swaps them freely.
DEMONSTRATIVE_FOLDS: dict[str, str] = {"this": "that", "these": "those"}
# English contractions: the words each suffix stands for, every reading ("'d" is "would"
# or "had", "'s" "is" or "has"; the first is the one a lemma key writes), and the forms no
# suffix rule spells.
CONTRACTION_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("n't", ("not",)),
    ("'ll", ("will",)),
    ("'re", ("are",)),
    ("'ve", ("have",)),
    ("'m", ("am",)),
    ("'d", ("would", "had")),
    ("'s", ("is", "has")),
)
IRREGULAR_CONTRACTIONS: dict[str, tuple[str, ...]] = {
    "won't": ("will", "not"),
    "can't": ("can", "not"),
    "shan't": ("shall", "not"),
    "let's": ("let", "us"),
    "y'all": ("you", "all"),
    "ma'am": ("madam",),
}
# "'s" is a contraction only after these; after a name or a noun it is a possessive.
S_CONTRACTION_HOSTS = word_set(
    """
    it he she that there here what who where when why how this everything nothing
    something someone everyone everybody nobody somebody
    """
)
# The lemma key (index.similarity) expands fewer, as first written: not these forms
# ("shan't" keys "sha not"), nor "'s" after the later hosts ("nobody's"). A lemma key is
# stored with every indexed quotation (its search terms), so expanding more would re-key
# the stored indexes; verify.wording reads every contraction above.
KEY_UNEXPANDED_CONTRACTIONS = word_set("shan't y'all ma'am")
KEY_S_CONTRACTION_HOSTS = S_CONTRACTION_HOSTS - word_set(
    "when why everything nothing something someone everyone everybody nobody somebody"
)
# Number words, compared as the figures they stand for: "three bridges" is not a re-wording
# of "ten bridges", "ten-year" is of "10-year". "one" is left out: it is a pronoun as often
# as a number ("every one of them", "at one point").
_SMALL_NUMBERS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_SMALL_NUMBERS += " fifteen sixteen seventeen eighteen nineteen twenty"
_TENS = "thirty forty fifty sixty seventy eighty ninety"
# Scale words: they multiply the number before them ("two hundred", "3 million").
SCALE_WORDS: dict[str, int] = {
    "hundred": 10**2,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
# Scales read only inside an amount ("$2 trillion" is "$2tn": entities.numbers.amount),
# never folded into a figure by the word keys nor written by entities.numbers.in_words:
# index.similarity's lemma key is stored with every indexed quotation (its search terms),
# so a new fold there would re-key the stored indexes.
AMOUNT_ONLY_SCALES = word_set("trillion")
NUMBER_WORDS: dict[str, str] = (
    {word: str(value) for value, word in enumerate(_SMALL_NUMBERS.split(), start=2)}
    | {word: str(value) for value, word in zip(range(30, 100, 10), _TENS.split(), strict=True)}
    | {word: str(value) for word, value in SCALE_WORDS.items() if word not in AMOUNT_ONLY_SCALES}
    | {"dozen": "12"}
)
# Scale suffixes glued to a figure ("5k", "£3m", "$2bn", "$1tn").
SCALE_SUFFIXES: dict[str, int] = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9, "tn": 10**12}
# Currency signs before a figure and the currency each names; the currency words are those
# names and their plurals ("$5" is "5 dollars").
CURRENCY_SIGNS: dict[str, str] = {"$": "dollar", "£": "pound", "€": "euro"}
CURRENCY_WORDS: dict[str, str] = {
    form: name for name in CURRENCY_SIGNS.values() for form in (name, name + "s")
}
# UK spellings and their US forms: one word printed by outlets on either side of the
# Atlantic ("organise" / "organize", "labour" / "labor") is the same word when printings
# of one remark are compared. Regular endings (-ise, -yse) are folded by rule
# (index.similarity); these are the stems and words no ending rule can tell apart from
# ordinary words ("four" is not "for", "filled" is not "filed").
UK_OUR_STEMS = word_set(
    """
    arbo armo behavio cando clamo colo endeavo favo flavo glamo harbo hono humo labo
    neighbo odo parlo ranco rigo rumo savio savo splendo tumo valo vapo vigo
    """
)
UK_DOUBLED_L_STEMS = word_set(
    """
    cancel channel counsel dial duel equal fuel funnel jewel label level marshal marvel
    model pedal quarrel rival shovel signal snorkel total travel tunnel
    """
)
UK_WORDS: dict[str, str] = {
    "centre": "center",
    "theatre": "theater",
    "metre": "meter",
    "kilometre": "kilometer",
    "centimetre": "centimeter",
    "millimetre": "millimeter",
    "litre": "liter",
    "fibre": "fiber",
    "calibre": "caliber",
    "sombre": "somber",
    "spectre": "specter",
    "meagre": "meager",
    "manoeuvre": "maneuver",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "grey": "gray",
    "tyre": "tire",
    "aluminium": "aluminum",
    "cheque": "check",
    "kerb": "curb",
    "plough": "plow",
    "mould": "mold",
    "sceptic": "skeptic",
    "sceptical": "skeptical",
    "ageing": "aging",
    "judgement": "judgment",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "skilful": "skillful",
    "jewellery": "jewelry",
    "paediatric": "pediatric",
    "anaesthetic": "anesthetic",
    "whilst": "while",
    # The verb spelled with -se ("practise") next to the noun's -ce, as the US writes both
    # (the -ise ending rule would make it "practize").
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "dialogue": "dialog",
    "catalogue": "catalog",
    "analogue": "analog",
    "storey": "story",
    "pyjamas": "pajamas",
    "enrol": "enroll",
    "instalment": "installment",
    "fulfilment": "fulfillment",
    # Past forms in -t the US writes -ed.
    "learnt": "learned",
    "burnt": "burned",
    "spelt": "spelled",
    "dreamt": "dreamed",
    "cosy": "cozy",
    "leapt": "leaped",
    "spoilt": "spoiled",
}
# Signs written out after a figure: "5%" (the sign is dropped with the punctuation) is
# "five per cent" and "5 percent".
PERCENT_WORDS = word_set("percent pct")
PER_CENT = ("per", "cent")
# Ordinal numbers in words, as the numbers they stand for ("twenty-first" is read as "twenty"
# and "first"): "the first time" is "the 1st time" in another house style.
_ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh"
_ORDINAL_UNITS += " twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth"
_ORDINAL_UNITS += " nineteenth twentieth"
_ORDINAL_TENS = "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
ORDINAL_WORDS: dict[str, int] = {
    word: value for value, word in enumerate(_ORDINAL_UNITS.split(), start=1)
} | {word: value for value, word in zip(range(30, 100, 10), _ORDINAL_TENS.split(), strict=True)}
# Month names, which a date writes before or after its day ("3 March" / "March 3"): the
# full name of each month in MONTH_NUMBERS, not its short forms ("Mar", "Jun" and the like
# are words of their own in lower case).
MONTHS = frozenset({n: name for name, n in reversed(MONTH_NUMBERS.items())}.values())
# Units of measure written in full (US spelling, as index.similarity.us_spelling folds
# them) and the abbreviation a house style prints for them ("12km", "twelve kilometres").
UNIT_ABBREVIATIONS: dict[str, str] = {
    "kilometer": "km",
    "kilometers": "km",
    "centimeter": "cm",
    "centimeters": "cm",
    "millimeter": "mm",
    "millimeters": "mm",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "mile": "mi",
    "miles": "mi",
    "foot": "ft",
    "feet": "ft",
    "hour": "hr",
    "hours": "hr",
    "hrs": "hr",
    "minute": "min",
    "minutes": "min",
    "mins": "min",
}
# Runs of abbreviated units that one abbreviation stands for ("miles per hour": "mph").
UNIT_PHRASES: dict[tuple[str, ...], str] = {
    ("mi", "per", "hr"): "mph",
    ("km", "per", "hr"): "kmh",
    ("mi", "an", "hr"): "mph",
}

# Words that report speech inside a quotation ("told us the money is on its way", "I never
# said the plan ..."): the words after them are someone's words reported, not the speaker's
# own remark printed again (index.clustering).
REPORTING_WORDS = word_set(
    "say says said saying tell tells told telling claim claims claimed promise promises promised"
)
# Two-word reporting phrases that end right before the words reported ("As the minister
# put it, every child ..."): "put" alone is too common a verb to be one.
REPORTING_PHRASES = frozenset([("put", "it"), ("puts", "it")])
# Negations of a reporting word just before it ("never said", "did not say", "didn't say").
REPORTING_NEGATIONS = word_set("not never didn't didn’t don't don’t haven't haven’t hasn't hasn’t")
# The figures of the scale words a word key folds, as multipliers of the figure before
# them ("two hundred" is "200", "3 million" is "3000000": entities.numbers).
NUMBER_MULTIPLIERS: dict[str, int] = {
    NUMBER_WORDS[word]: value for word, value in SCALE_WORDS.items() if word in NUMBER_WORDS
}

# Verbs that introduce a name for something ("what she calls “tokens”").
NAMING_VERBS = word_set("call calls called dub dubs dubbed nicknamed term terms termed")

# Opposite poles of common scales in news speech, each word with its inflected forms. A
# claim that puts a word of one pole where the printing has a word of the other ("demand
# is falling" for "demand is rising") says the opposite, however close the rest of its
# words and its meaning vector are (antonyms sit close together in embedding space). Words
# with a common unrelated sense ("left", "right", "back", "contract") are left out.
POLAR_SCALES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "size": (
        word_set(
            """large larger largest big bigger biggest huge vast enormous massive immense
            high higher highest major significant substantial considerable"""
        ),
        word_set(
            """small smaller smallest little tiny limited low lower lowest minor slight
            scant modest minimal negligible meagre meager insignificant"""
        ),
    ),
    "amount": (
        word_set("more most many numerous countless"),
        word_set("less least fewer fewest few"),
    ),
    "trend": (
        word_set(
            """rise rises rising rose risen grow grows growing grew grown increase increases
            increased increasing surge surges surged surging soar soars soared soaring climb
            climbs climbed climbing expand expands expanded expanding boom booms booming"""
        ),
        word_set(
            """fall falls falling fell fallen drop drops dropped dropping decline declines
            declined declining decrease decreases decreased decreasing shrink shrinks
            shrinking shrank shrunk plunge plunges plunged plunging collapse collapses
            collapsed collapsing slump slumps slumped slumping tumble tumbles tumbled
            tumbling"""
        ),
    ),
    "strength": (
        word_set("strong stronger strongest strengthen strengthens strengthened strengthening"),
        word_set("weak weaker weakest weaken weakens weakened weakening"),
    ),
    "outcome": (
        word_set("win wins winning won succeed succeeds succeeded success successful victory"),
        word_set("lose loses losing lost fail fails failed failing failure defeat defeated"),
    ),
    "stance": (
        word_set(
            """support supports supported supporting favour favours favoured favor favors
            favored endorse endorses endorsed approve approves approved accept accepts
            accepted agree agrees agreed welcome welcomes welcomed"""
        ),
        word_set(
            """oppose opposes opposed opposing reject rejects rejected rejecting refuse
            refuses refused disagree disagrees disagreed condemn condemns condemned"""
        ),
    ),
    "permission": (
        word_set("allow allows allowed permit permits permitted legal lawful"),
        word_set("ban bans banned forbid forbids forbidden prohibit prohibits prohibited illegal"),
    ),
    "presence": (
        word_set("stay stays stayed staying remain remains remained remaining"),
        word_set("leave leaves leaving quit quits quitting depart departs departed departing"),
    ),
    "safety": (word_set("safe safer safest secure"), word_set("dangerous unsafe deadly")),
    "truth": (word_set("true accurate correct"), word_set("false untrue inaccurate incorrect")),
    "guilt": (word_set("guilty"), word_set("innocent")),
    "memory": (
        word_set("remember remembers remembered remembering"),
        word_set("forget forgets forgot forgotten forgetting"),
    ),
}


def inflection_bases(lower: str) -> list[str]:
    """The base forms a regularly inflected English word may come from, the regular
    endings (-s, -es, -ies, -ed, -d, -ied, -ing) undone: "replies" -> "reply",
    "stressed" -> "stress" or "stresse", "noting" -> "not" or "note"."""
    bases: list[str] = []
    if lower.endswith("ies"):
        bases.append(lower[:-3] + "y")
    if lower.endswith("es"):
        bases.append(lower[:-2])
    if lower.endswith("s"):
        bases.append(lower[:-1])
    if lower.endswith("ied"):
        bases.append(lower[:-3] + "y")
    if lower.endswith("ed"):
        bases.extend([lower[:-2], lower[:-1]])
    if lower.endswith("ing"):
        stem = lower[:-3]
        bases.extend([stem, stem + "e"])
    return bases


def is_inverted_speech_verb(word: str) -> bool:
    """ "Says", "Adds", "Replies": the present-tense form of a speech verb that opens an
    inverted attribution ("Says Ana Ruiz, a nurse: …"), so is no part of the name after it."""
    lower = word.lower()
    return lower.endswith("s") and any(base in SPEECH_VERBS for base in inflection_bases(lower))


def is_plural_person_noun(lower: str) -> bool:
    """ "Prosecutors said", "deputies said": the plural of a title or of a word for an
    unnamed person is several unnamed people, never a name."""
    if not lower.endswith("s") or lower.endswith("ss"):
        return False
    stems = [lower[:-1]] + ([lower[:-3] + "y"] if lower.endswith("ies") else [])
    return any(stem in TITLES or stem in UNNAMED_PERSON_HEADS for stem in stems)


def is_speaker_name(name: str) -> bool:
    """Could `name` name a person or an organisation? Not a pronoun ("I", "He"), a
    nationality ("German"), a bare title ("Market Strategist"), a function word, or a
    lower-case common noun ("agency")."""
    words = [w.strip(".,'’()") for w in name.split()]
    words = [w for w in words if w]
    if not words or not any(c.isupper() for c in name):
        return False
    lowers = [w.lower() for w in words]
    if len(words) == 1 and (
        lowers[0] in FUNCTION_WORDS
        or lowers[0] in SUBJECT_PRONOUNS
        or lowers[0] in DESCRIPTIVE_NOUNS
    ):
        return False
    return not all(w in TITLES or w in HONORIFICS or w in FUNCTION_WORDS for w in lowers)


# Words that, printed just before the words a claim quotes and in the same clause, put
# them under a negation or a hedge ("I do not believe | the town is safe", "it is probably
# | strong enough"): a claim that cuts them off says more than the speaker did. Keys as
# verify.wording makes them (apostrophes dropped: "don't" -> "dont").
SCOPE_NEGATIONS = NEGATIONS | word_set(
    """
    dont doesnt didnt isnt arent wasnt werent wont cant couldnt shouldnt wouldnt havent
    hasnt hadnt aint mustnt neednt
    """
)
HEDGES = word_set(
    """
    probably perhaps maybe possibly likely unlikely hardly barely scarcely allegedly
    supposedly doubt doubtful
    """
)

# People who speak for an organisation ("a spokeswoman for Harbour Water"): the words they
# give are the organisation's as much as theirs (verify.relayed).
SPOKESPERSON_NOUNS = word_set(
    "spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen representative"
)

# Forms of one given name: a familiar form ("Bill" / "William") or a transliteration
# ("Mohammed" / "Muhammad", "Evgenia" / "Yevgeniya") that spelling rules cannot tell from
# another name ("Mahmoud" is not "Mohammed"). Each line is one group; a name may sit in
# two groups ("Fred": Frederick, Alfred).
GIVEN_NAME_GROUPS: tuple[frozenset[str], ...] = tuple(
    word_set(line)
    for line in """
    william bill billy will willie liam
    robert bob bobby rob robbie bert
    richard dick rick ricky rich richie
    elizabeth liz lizzie beth betty eliza libby
    margaret maggie meg peggy madge greta
    james jim jimmy jamie
    thomas tom tommy
    tobias toby
    edward ed eddie ted ned
    theodore theo ted
    anthony tony antony
    joseph joe joey
    michael mike mick mickey
    katherine catherine kathryn kate kathy cathy katie kat
    christopher chris kit
    alexander alex sandy aleksandr aleksander oleksandr alexandr
    alexandra alex sasha aleksandra oleksandra
    patricia pat trish patty
    daniel dan danny
    benjamin ben benny
    samuel sam sammy
    nicholas nick nicky
    matthew matt matty
    andrew andy drew
    jonathan jon jonny
    deborah debbie deb
    susan sue susie
    rebecca becky
    jennifer jen jenny
    charles charlie chuck
    henry harry hal
    john jack johnny
    david dave davy
    stephen steven steve stevie
    peter pete
    frederick fred freddie
    alfred alf fred
    abigail abby
    gregory greg
    timothy tim timmy
    kenneth ken kenny
    donald don donny
    ronald ron ronnie
    lawrence laurence larry
    leonard len lenny
    philip phillip phil
    gerald gerry
    nathaniel nathan nate nat
    vincent vince
    raymond ray
    oliver ollie
    walter walt
    albert al bert
    muhammad mohammed mohamed mohammad muhammed mohamad mohamud mehmet
    ahmed ahmad ahmet
    hussein husain hussain husayn
    abdullah abdulla abdallah
    yusuf yousef youssef yusef
    mustafa mustapha mostafa
    yevgeny evgeny evgeniy yevgeniy evgenii
    yevgeniya evgenia evgeniya yevgenia eugenia
    sergei sergey serhiy
    dmitri dmitry dmitriy
    nikolai nikolay mykola
    andrei andrey andriy
    yuri yury yuriy iouri
    mikhail michail
    fyodor fedor
    pyotr petr
    """.strip().splitlines()
)
