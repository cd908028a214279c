"""Synthetic person records with known truth, for measuring identity resolution.

People live in households (a shared family name, address and often phone, twins now and then) and each
is recorded 1 to 5 times by agencies that spell, type and update things differently: nicknames,
typos, day and month swapped, a digit wrong in the date of birth, missing fields, moves, married
and double-barrelled surnames. Households are what make the data hard: siblings share everything
but the given name and date of birth, which is where a careless model merges two children.

Deterministic for a seed; the `truth` column names the person each record is about and is used
only to measure a model, never to train one.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from lantern.linkage import names
from lantern.linkage.prepare import FIELDS
from lantern.people.rules import with_check_digit

COLUMNS = ("record_id", "truth", *FIELDS)  # Lantern's person fields, in linkage.prepare's order
Row = tuple[str, ...]

# Popular given names in England and Wales (ONS, births 1970-2020): the head of the distribution.
MODERN_FEMALE = (
    "olivia amelia isla ava emily sophie grace lily chloe ella jessica katie hannah megan rebecca lauren charlotte "
    "elizabeth abigail kayleigh danielle natalie stacey gemma leanne rachel sarah emma laura amy nicola lisa claire "
    "michelle kelly joanne samantha victoria jennifer louise helen karen susan julie tracey donna amanda kirsty "
    "jade courtney chantelle shannon bethany paige holly freya poppy evie mia ruby daisy phoebe scarlett willow "
    "ivy harper rosie esme maisie millie matilda florence layla zara aisha fatima maryam ayesha nadia priya"
).split()
MODERN_MALE = (
    "oliver harry george jack jacob noah charlie thomas oscar william james daniel joshua liam ryan callum connor "
    "jordan michael christopher matthew anthony nathan dean lewis kieran jayden tyler brandon kyle ashley craig "
    "darren lee paul mark andrew david richard stephen robert john peter steven simon gary wayne jamie luke adam "
    "alexander benjamin samuel joseph ethan mason logan lucas leo arthur theo freddie alfie archie henry finley "
    "harvey reuben ronnie tommy elliot mohammed muhammad ali omar hassan bilal yusuf arjun rohan dylan"
).split()
COMMON_SURNAMES = (
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker "
    "white edwards hughes green hall lewis harris clarke patel jackson wood turner martin cooper hill ward morris "
    "moore clark lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young "
    "griffiths mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan "
    "marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray mason ali "
    "hunt hussain campbell matthews owen palmer holmes mills barnes knight lloyd butler russell barker fisher "
    "stevens jenkins murray dixon harvey graham pearson ahmed fletcher walsh kaur gibson howard andrews stewart "
    "elliott reynolds saunders payne fox ford pearce day brooks west lawrence cole atkinson bradley spencer gill "
    "dawson ball burton o'brien watts rose booth perry ryan grant wells armstrong francis rees hayes hart hudson "
    "newman barrett webster hunter gregory carr lowe page marsh riley dunn woods parsons berry stone reid holland "
    "hawkins harding porter robertson newton oliver reed kennedy williamson bird gardner shah dean lane cooke "
    "bates henderson parry burgess bishop walton burns nicholson shepherd ross cross long freeman warren nicholls "
    "hamilton byrne sutton mcdonald yates hodgson robson curtis hopkins o'connor harper coleman watkins moss mccarthy"
).split()
# Syllables for the long tail of family names (Ashworth, Holcombe, ...): real-looking, not real people.
_HEADS = (
    "ash brad brom cal chat dal dun el fair gold hal har hol ken king lang mar mel nor pen rad red rod sal shel "
    "stan stock thorn tal wad wel whit win wool brack crow fen hart"
).split()
_TAILS = "worth ley combe ford ham field ton well by wood stead more ridge shaw dale"
GENERATED_SURNAMES = 600
# Towns and their postcode districts.
TOWNS = (
    ("abingdon", "OX14"),
    ("banbury", "OX16"),
    ("bicester", "OX26"),
    ("didcot", "OX11"),
    ("witney", "OX28"),
    ("reading", "RG1"),
    ("newbury", "RG14"),
    ("swindon", "SN1"),
    ("derby", "DE1"),
    ("ilkeston", "DE7"),
    ("rhyl", "LL18"),
    ("prestatyn", "LL19"),
    ("newport", "PO30"),
    ("ryde", "PO33"),
    ("eastleigh", "SO50"),
    ("fareham", "PO16"),
    ("gosport", "PO12"),
    ("havant", "PO9"),
    ("andover", "SP10"),
    ("basingstoke", "RG21"),
)
STREETS = (
    "mill church station victoria park queens kings orchard meadow cedar willow high north south west east "
    "manor school chapel green london york grange springfield windsor albert elm oak ash beech"
).split()
STREET_KINDS = ("road", "street", "lane", "close", "avenue", "drive", "way", "court", "crescent", "gardens")
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code of UK postcodes
KEYBOARD = "abcdefghijklmnopqrstuvwxyz"

# How often each thing happens: per person (P_*) or per record (R_*).
P_SECOND_ADDRESS = 0.2
P_PHONE = 0.6
P_PHONE_CHANGED = 0.15
P_PNC_ADULT = 0.12
P_MAIDEN_NAME = 0.25  # of adult women in a couple
P_TWIN = 0.03
R_NICKNAME = 0.12
R_GIVEN_TYPO = 0.04
R_FAMILY_TYPO = 0.03
R_FORMER_NAME = 0.3  # of records on a person with a former surname
R_DOUBLE_BARRELLED = 0.3  # of those, the two joined with a hyphen
R_DOB_MISSING = 0.04
R_DOB_SWAP = 0.03
R_DOB_DIGIT = 0.03
R_OLD_ADDRESS = 0.4  # of records on a person who moved
R_POSTCODE_MISSING = 0.08
R_ADDRESS_MISSING = 0.04
R_PHONE = 0.4
R_OLD_PHONE = 0.4  # of records on a person whose number changed
R_HEALTH = 0.4
R_NHS_ON_HEALTH = 0.9
R_POLICE = 0.25
R_SEX_MISSING = 0.03
R_SEX_WRONG = 0.005
R_UPPER = 0.2  # systems that shout
RECORDS_PER_PERSON = (1, 2, 3, 4, 5)
RECORD_COUNT_WEIGHTS = (0.3, 0.25, 0.2, 0.13, 0.12)  # mean 2.52


@dataclass(frozen=True)
class Pools:
    """Name and place pools with cumulative Zipf-like weights (common names far more common)."""

    female: Sequence[str]
    female_weights: Sequence[float]
    male: Sequence[str]
    male_weights: Sequence[float]
    surnames: Sequence[str]
    surname_weights: Sequence[float]
    nicknames: dict[str, Sequence[str]]


def _zipf(count: int, shift: float) -> list[float]:
    """Cumulative weights 1/(rank + shift): a shifted Zipf, so the top name is ~1-2%, not 10%."""
    return list(accumulate(1.0 / (rank + shift) for rank in range(1, count + 1)))


@cache
def pools() -> Pools:
    """The pools, built once: modern names first, then the nicknames package's formal names."""
    lookup = names.nickname_lookup()
    formal = sorted(set(lookup) - set(MODERN_FEMALE) - set(MODERN_MALE))
    # The package does not say which formal names are female; the ending is a fair guess here.
    female = [*MODERN_FEMALE, *(n for n in formal if n[-1] in "aey")]
    male = [*MODERN_MALE, *(n for n in formal if n[-1] not in "aey")]
    tail_rng = random.Random(0)
    generated = sorted(
        {tail_rng.choice(_HEADS) + tail_rng.choice(_TAILS.split()) for _ in range(GENERATED_SURNAMES * 3)}
    )
    tail_rng.shuffle(generated)
    surnames = [*dict.fromkeys(COMMON_SURNAMES), *generated[:GENERATED_SURNAMES]]
    return Pools(
        female=female,
        female_weights=_zipf(len(female), 15),
        male=male,
        male_weights=_zipf(len(male), 15),
        surnames=surnames,
        surname_weights=_zipf(len(surnames), 10),
        nicknames={name: sorted(nicks) for name, nicks in lookup.items() if nicks},
    )


@dataclass
class Person:
    """Who someone really is: every record about them is a (possibly garbled) view of this."""

    key: str
    given: str
    family: str
    former_family: str | None
    dob: str
    sex: str
    addresses: list[tuple[str, str, str]]
    phones: list[str]  # oldest first
    nhs: str
    pnc: str | None


class Generator:
    """Households of people, then records about each; the same seed gives the same records."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pools = pools()
        self._people = 0
        self._nhs = 400_000_000

    def households(self) -> Iterator[list[Person]]:
        """Endless households: one or two adults and up to three children at one address."""
        while True:
            yield self._household()

    def _household(self) -> list[Person]:
        rng, p = self.rng, self.pools
        surname = rng.choices(p.surnames, cum_weights=p.surname_weights)[0]
        home = [self._address()]
        if rng.random() < P_SECOND_ADDRESS:
            home.append(self._address())
        landline = [self._phone()] if rng.random() < 0.3 else []
        first_year = rng.randint(1950, 2004)
        adults = [self._person("f", surname, self._dob(first_year), home, self._own_phones(landline))]
        if rng.random() < 0.6:
            partner_year = min(2005, max(1945, first_year + rng.randint(-6, 8)))
            adults.append(self._person("m", surname, self._dob(partner_year), home, self._own_phones(landline)))
            if rng.random() < P_MAIDEN_NAME:
                adults[0].former_family = rng.choices(p.surnames, cum_weights=p.surname_weights)[0]
        children: list[Person] = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            if children and rng.random() < P_TWIN:
                dob = children[-1].dob
            else:
                dob = self._dob(min(2025, first_year + rng.randint(18, 40)))
            # The contact number on a child's record is the mother's.
            children.append(self._person(rng.choice("fm"), surname, dob, home, adults[0].phones, adult=False))
        return adults + children

    def _person(
        self,
        sex: str,
        surname: str,
        dob: str,
        home: list[tuple[str, str, str]],
        phones: list[str],
        *,
        adult: bool = True,
    ) -> Person:
        rng, p = self.rng, self.pools
        self._people += 1
        pool, weights = (p.female, p.female_weights) if sex == "f" else (p.male, p.male_weights)
        return Person(
            key=f"P{self._people:07d}",
            given=rng.choices(pool, cum_weights=weights)[0],
            family=surname,
            former_family=None,
            dob=dob,
            sex=sex,
            addresses=home,
            phones=phones,
            nhs=self._next_nhs(),
            pnc=f"{dob[2:4]}/{rng.randint(100000, 999999)}{rng.choice('ABCDEFGHJK')}"
            if adult and rng.random() < P_PNC_ADULT
            else None,
        )

    def _dob(self, year: int) -> str:
        return f"{year:04d}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def _address(self) -> tuple[str, str, str]:
        rng = self.rng
        town, district = rng.choice(TOWNS)
        street = f"{rng.randint(1, 200)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
        # About 26,000 postcodes in 20 towns: a handful of households share each.
        units = UNIT_LETTERS[:12]
        return street, town, f"{district} {rng.randint(1, 9)}{rng.choice(units)}{rng.choice(units)}"

    def _own_phones(self, landline: list[str]) -> list[str]:
        """An adult's numbers: a mobile (sometimes replaced by a newer one), else the landline."""
        if self.rng.random() >= P_PHONE:
            return landline
        if self.rng.random() < P_PHONE_CHANGED:
            return [self._phone(), self._phone()]
        return [self._phone()]

    def _phone(self) -> str:
        return f"07{self.rng.randint(100, 999)} {self.rng.randint(100000, 999999)}"

    def _next_nhs(self) -> str:
        while True:
            self._nhs += 1
            number = with_check_digit(str(self._nhs))
            if number is not None:
                return number

    def record(self, person: Person, number: int) -> Row:
        """One agency's record of `person`: each field garbled, missing or out of date now and then."""
        rng = self.rng
        health = rng.random() < R_HEALTH
        police = not health and rng.random() < R_POLICE
        line1, town, postcode = self._address_seen(person)
        row = (
            f"R{number:08d}",
            person.key,
            self._given(person.given),
            self._family(person),
            self._dob_seen(person.dob),
            self._sex_seen(person.sex),
            line1,
            town,
            postcode,
            self._phone_seen(person.phones),
            person.nhs if health and rng.random() < R_NHS_ON_HEALTH else "",
            person.pnc if police and person.pnc else "",
        )
        if rng.random() < R_UPPER:
            return tuple(value.upper() for value in row)
        return row

    def _given(self, given: str) -> str:
        roll = self.rng.random()
        if roll < R_NICKNAME and given in self.pools.nicknames:
            return self.rng.choice(self.pools.nicknames[given]).title()
        if roll > 1 - R_GIVEN_TYPO:
            return typo(self.rng, given).title()
        return given.title()

    def _family(self, person: Person) -> str:
        rng = self.rng
        family = person.family
        if person.former_family and rng.random() < R_FORMER_NAME:
            family = person.former_family
            if rng.random() < R_DOUBLE_BARRELLED:
                family = f"{person.former_family}-{person.family}"
        if rng.random() < R_FAMILY_TYPO:
            family = typo(rng, family)
        return family.title()

    def _dob_seen(self, dob: str) -> str:
        roll = self.rng.random()
        if roll < R_DOB_MISSING:
            return ""
        roll -= R_DOB_MISSING
        year, month, day = dob.split("-")
        if roll < R_DOB_SWAP and int(day) <= 12 and day != month:
            return f"{year}-{day}-{month}"
        roll -= R_DOB_SWAP
        if roll < R_DOB_DIGIT:
            return self._dob_digit_slip(year, month, day)
        return dob

    def _dob_digit_slip(self, year: str, month: str, day: str) -> str:
        """One digit of the decade, year, month or day keyed wrong, still a real date."""
        for _ in range(5):
            digits = list(f"{year}{month}{day}")
            i = self.rng.choice((2, 3, 5, 7))
            digits[i] = str(self.rng.randint(0, 9))
            changed = "".join(digits)
            if 1 <= int(changed[4:6]) <= 12 and 1 <= int(changed[6:]) <= 28 and changed != f"{year}{month}{day}":
                return f"{changed[:4]}-{changed[4:6]}-{changed[6:]}"
        return f"{year}-{month}-{day}"

    def _sex_seen(self, sex: str) -> str:
        roll = self.rng.random()
        if roll < R_SEX_MISSING:
            return ""
        return ("m" if sex == "f" else "f") if roll > 1 - R_SEX_WRONG else sex

    def _phone_seen(self, phones: list[str]) -> str:
        if not phones or self.rng.random() >= R_PHONE:
            return ""
        return phones[0] if len(phones) > 1 and self.rng.random() < R_OLD_PHONE else phones[-1]

    def _address_seen(self, person: Person) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < R_ADDRESS_MISSING:
            return "", "", ""
        current = person.addresses[-1]
        line1, town, postcode = (
            person.addresses[0] if len(person.addresses) > 1 and rng.random() < R_OLD_ADDRESS else current
        )
        if rng.random() < R_POSTCODE_MISSING:
            postcode = ""
        elif rng.random() < 0.3:
            postcode = postcode.replace(" ", "")
        return line1.title(), town.title(), postcode


def typo(rng: random.Random, word: str) -> str:
    """One keying slip: a letter dropped, doubled, swapped with its neighbour or mistyped."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice(KEYBOARD) + word[i + 1 :]


def rows(size: int, seed: int = 2026) -> Iterator[Row]:
    """`size` records as tuples in COLUMNS order (the fast path: no dict per record)."""
    gen = Generator(seed)
    made = 0
    for household in gen.households():
        for person in household:
            count = gen.rng.choices(RECORDS_PER_PERSON, RECORD_COUNT_WEIGHTS)[0]
            for _ in range(min(count, size - made)):
                made += 1
                yield gen.record(person, made)
            if made >= size:
                return


def records(size: int, seed: int = 2026) -> Iterator[dict[str, str | None]]:
    """`size` records in Lantern's person fields plus `record_id` and `truth`; blanks are None."""
    for row in rows(size, seed):
        yield {column: value or None for column, value in zip(COLUMNS, row, strict=True)}


def write_csv(path: Path, size: int, seed: int = 2026) -> int:
    """Write `size` records to a CSV file with a header row; returns the number written."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows(size, seed))
    return size
