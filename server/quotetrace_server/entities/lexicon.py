"""Small generic English word lists for recognising names, titles and organisations.

Only closed-class words and common news vocabulary live here; nothing specific to any
article. All entries are lower case.
"""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` (keeps long lists readable)."""
    return frozenset(words.split())


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
    founder ceo executive manager coach reporter journalist economist scientist activist
    lawyer attorney candidate nominee lawmaker legislator congressman congresswoman councillor
    councilor commissioner inspector superintendent president-elect undersecretary diplomat
    cosmonaut astronaut reverend rev. bishop archbishop cardinal imam rabbi sheikh dictator
    strongman tycoon billionaire businessman businesswoman premier vice-president
    vice-chairman
    """
)

TITLE_SUFFIXES = ("-born", "-based", "-led", "-backed")

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
    commission embassy consulate nato
    """
)

# Multi-word or single names that are organisations whatever precedes them.
ORG_NAMES = frozenset(
    {"white house", "blue house", "kremlin", "pentagon", "nato", "downing street"}
)

# Lower-case heads of noun phrases that denote an organisation speaking ("the military said").
ORG_NOMINAL_HEADS = word_set(
    """
    military ministry government police army navy agency council committee administration
    department embassy court company parliament party cabinet regime presidency office
    commission secretariat authorities
    """
)

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
    neighbors locals residents citizens
    """
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

MONTHS_AND_DAYS = word_set(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
    thursday friday saturday sunday
    """
)

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
    throughout toward towards via per you me us them him one two three
    """
)

PERSON_PRONOUNS: dict[str, str | None] = {
    "he": "male",
    "she": "female",
}
PLURAL_PRONOUNS = frozenset({"they"})

PREPOSITIONS = word_set(
    """
    at of from in with for on to by about into onto over under between among against across
    after before during without within through toward towards via per near behind beside
    despite like than upon around
    """
)

DETERMINERS = word_set("a an the another some one two three several many this that")
