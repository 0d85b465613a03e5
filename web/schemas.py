"""What requests carry: typed forms and JSON bodies, validated by Litestar (msgspec) before a
handler runs, so a field of the wrong kind or out of bounds is a 400 naming the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from litestar.enums import RequestEncodingType
from litestar.params import Body
from msgspec import Meta

Id = Annotated[int, Meta(ge=1, le=2**31 - 1)]
Text = Annotated[str, Meta(max_length=2_000)]
LongText = Annotated[str, Meta(max_length=20_000)]
Name = Annotated[str, Meta(max_length=200)]
IdempotencyKey = Annotated[str, Meta(min_length=1, max_length=128)]
Checkbox = Literal["on"] | None  # a checked box sends "on"; an unchecked one nothing
OptionalId = Id | Literal[""]  # a select whose first choice is "none"
URL_ENCODED = Body(media_type=RequestEncodingType.URL_ENCODED)


# -- the site's forms ---------------------------------------------------------------------------


@dataclass
class VoteForm:
    option: Name
    idempotency_key: IdempotencyKey | None = None


@dataclass
class ProxyForm:
    action: Literal["appoint", "revoke"] = "appoint"
    proxy_code: Name = ""
    division: OptionalId = ""


@dataclass
class LoginForm:
    username: Name = ""
    password: Name = ""
    next: Text = "/"


@dataclass
class CodeRequestForm:
    """Step 1 of registering: who you are on the electoral register."""

    elector: Name = ""
    postcode: Name = ""
    born: Name = ""  # a date YYYY-MM-DD or a year YYYY
    next: Text = "/"


@dataclass
class RegisterForm:
    """Step 2: the code sent to you, and the username and password you choose."""

    elector: Name = ""
    code: Name = ""
    username: Name = ""
    password: Name = ""
    confirm: Name = ""
    next: Text = "/"


@dataclass
class SwapForm:
    my_sitting: Id
    their_slot: Annotated[str, Meta(pattern=r"^[\w.-]{1,64}/\d{1,10}$")]  # "MEMBER/SITTING"


@dataclass
class SwapAnswerForm:
    answer: Literal["accept", "decline"]


@dataclass
class BusinessForm:
    sitting: Id
    title: Text = ""
    urgent: Checkbox = None


@dataclass
class FollowForm:
    action: Literal["follow", "unfollow"] = "follow"


@dataclass
class SubjectForm:
    """The words of a subject to follow (as a search reads them)."""

    words: Name = ""


@dataclass
class ContactForm:
    """Where notices are e-mailed, and whether they are."""

    email: Name = ""
    notices: Checkbox = None


@dataclass
class RetitleForm:
    title: Text = ""


@dataclass
class DivisionForm:
    sitting: Id
    question: Text = ""
    options: LongText = ""
    opens_at: Name = ""  # London wall time, from a datetime-local input
    closes_at: Name = ""


@dataclass
class AttendanceForm:
    sitting: Id
    member: Name
    kind: Literal["rostered", "invited", "without a vote"] = "rostered"


@dataclass
class InvitationForm:
    sitting: Id
    member: Name
    reason: Literal["business on the agenda", "a specific contribution", "a committee meeting"]
    detail: Text = ""


@dataclass
class ChairForm:
    sitting: Id
    chair: Name


@dataclass
class PinForm:
    member: Name
    sitting: Id


@dataclass
class UnavailabilityForm:
    member: Name
    day: date
    session: Name


PlaceKey = Annotated[str, Meta(pattern=r"^\d{1,10}/[\w.-]{1,64}$")]  # "SITTING/SEAT"


@dataclass
class DelegatesForm:
    """Each place (``SITTING/SEAT``) with the member named for it, in the same order (a form
    with one place sends a value, not a list); a blank member names nobody."""

    place: list[PlaceKey] | PlaceKey
    member: list[Name] | Name


@dataclass
class CommitteeBallotForm:
    choice: list[Name] | Name = ""  # the candidates in order of preference; blanks ignored


Office = Literal["Speaker", "deputy speaker", "whip", "group officer", "assembly officer"]


@dataclass
class AppointForm:
    body: Name
    office: Office
    member: Name
    holds_from: date
    group: Name = ""
    assembly: OptionalId = ""


@dataclass
class EndHoldingForm:
    last_day: date


@dataclass
class CommitteeForm:
    body: Name
    candidates: Text  # member ids, separated by spaces, commas or lines
    seats: Annotated[int, Meta(ge=1, le=100)]
    seed: Name
    opens_at: Name  # London wall time, from a datetime-local input
    closes_at: Name
    rule: Literal["scottish", "meek"] = "scottish"
    title: Name = ""


@dataclass
class BodyForm:
    body: Name


FEATURE_FIELDS = ("gender", "age", "region", "area", "education", "ethnicity", "attitude")
"""The features a body's lottery may ask volunteers for (`chamber.jury.lotteries`): each a
field of the volunteer form, checked against the body's values by the service."""
Choice = Annotated[str, Meta(max_length=100)]


@dataclass
class VolunteerForm:
    name: Name = ""
    email: Name = ""
    phone: Name = ""
    address: Text = ""
    consent: Checkbox = None
    gender: Choice = ""
    age: Choice = ""
    region: Choice = ""
    area: Choice = ""
    education: Choice = ""
    ethnicity: Choice = ""
    attitude: Choice = ""


@dataclass
class AnswerForm:
    answer: Literal["accept", "decline"]


@dataclass
class SeedForm:
    month: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}$")]
    seed: Annotated[str, Meta(min_length=1, max_length=500)]
    months: Annotated[int, Meta(ge=1, le=60)] = 12  # a citizens' panel's term


@dataclass
class RankingForm:
    ranking: Annotated[str, Meta(pattern=r"^[\d ,]{1,2000}$")]  # place numbers, first first

    def places(self) -> list[int]:
        return [int(n) for n in self.ranking.replace(",", " ").split()]


VoteFormBody = Annotated[VoteForm, URL_ENCODED]
ProxyFormBody = Annotated[ProxyForm, URL_ENCODED]
LoginFormBody = Annotated[LoginForm, URL_ENCODED]
RegisterFormBody = Annotated[RegisterForm, URL_ENCODED]
CodeRequestFormBody = Annotated[CodeRequestForm, URL_ENCODED]
SwapFormBody = Annotated[SwapForm, URL_ENCODED]
SwapAnswerFormBody = Annotated[SwapAnswerForm, URL_ENCODED]
BusinessFormBody = Annotated[BusinessForm, URL_ENCODED]
RetitleFormBody = Annotated[RetitleForm, URL_ENCODED]
FollowFormBody = Annotated[FollowForm, URL_ENCODED]
SubjectFormBody = Annotated[SubjectForm, URL_ENCODED]
ContactFormBody = Annotated[ContactForm, URL_ENCODED]
DivisionFormBody = Annotated[DivisionForm, URL_ENCODED]
AttendanceFormBody = Annotated[AttendanceForm, URL_ENCODED]
InvitationFormBody = Annotated[InvitationForm, URL_ENCODED]
ChairFormBody = Annotated[ChairForm, URL_ENCODED]
PinFormBody = Annotated[PinForm, URL_ENCODED]
UnavailabilityFormBody = Annotated[UnavailabilityForm, URL_ENCODED]
DelegatesFormBody = Annotated[DelegatesForm, URL_ENCODED]
CommitteeBallotFormBody = Annotated[CommitteeBallotForm, URL_ENCODED]
AppointFormBody = Annotated[AppointForm, URL_ENCODED]
EndHoldingFormBody = Annotated[EndHoldingForm, URL_ENCODED]
CommitteeFormBody = Annotated[CommitteeForm, URL_ENCODED]
BodyFormBody = Annotated[BodyForm, URL_ENCODED]
VolunteerFormBody = Annotated[VolunteerForm, URL_ENCODED]
AnswerFormBody = Annotated[AnswerForm, URL_ENCODED]
SeedFormBody = Annotated[SeedForm, URL_ENCODED]
RankingFormBody = Annotated[RankingForm, URL_ENCODED]


# -- the API's bodies ---------------------------------------------------------------------------


@dataclass
class Credentials:
    username: Name
    password: Name


@dataclass
class VoteIn:
    option: Name
    idempotency_key: IdempotencyKey | None = None


@dataclass
class ProxyIn:
    proxy_code: Name  # the proxy's own code, which they gave you
    division: Id | None = None


@dataclass
class Receipt:
    receipt: str
    division: int


@dataclass
class SignedIn:
    username: str
    role: str


@dataclass
class ProxyOut:
    proxy_code: str | None  # your proxy's code (None: no proxy)
    division: int | None
    my_code: str | None = None  # your own proxy code, to give to whoever may appoint you
