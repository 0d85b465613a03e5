"""The forms of the jury's experts and of citizens' panels (parsed by Litestar into these
dataclasses; a bad field is a 400 naming it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from litestar.datastructures import UploadFile
from msgspec import Meta

from chamber.errors import Invalid
from web.schemas import URL_ENCODED, Checkbox, LongText, Name, OptionalId, Text

Places = Annotated[int, Meta(ge=0, le=100_000)]
Seed = Annotated[str, Meta(min_length=1, max_length=500)]


def day(value: str, name: str) -> date:
    """A date typed as YYYY-MM-DD, or refused naming the field."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{name}: give a date as YYYY-MM-DD, not {value!r}") from None


@dataclass
class ExpertsBallotForm:
    field: Name
    serves_from: date
    places: Places = 0  # 0: every place free on the first day


@dataclass
class NominationForm:
    field: Name
    name: Name
    expertise: Text = ""


@dataclass
class CountForm:
    seed: Seed


@dataclass
class ServesFromForm:
    serves_from: date


@dataclass
class YesNoForm:
    answer: Literal["yes", "no"]


@dataclass
class PeersUpload:
    peers: UploadFile
    serves_from: str = ""  # YYYY-MM-DD: for crossbench peers, the first day of their term


@dataclass
class RemitForm:
    question: Text
    stratum: Text
    size: Annotated[int, Meta(ge=1, le=10_000)]
    quotas: LongText = ""  # feature,value,min,max; empty: the lottery file's
    scrutinise: Checkbox = None
    revise: Checkbox = None
    advise: Checkbox = None
    public_votes: Checkbox = None

    def powers(self) -> list[str]:
        return [p for p in ("scrutinise", "revise", "advise") if getattr(self, p) == "on"]


@dataclass
class MeetingForm:
    starts_at: Name  # London wall time, from a datetime-local input
    ends_at: Name
    venue: Name
    agenda: Text = ""


@dataclass
class ScheduleForm:
    first: date
    last: date
    venue: Name


@dataclass
class OutputForm:
    kind: Literal["recommendation", "amendment", "scrutiny report"]
    title: Name
    text: LongText
    meeting: OptionalId = ""


@dataclass
class PublicVotesForm:
    public_votes: Checkbox = None


ExpertsBallotFormBody = Annotated[ExpertsBallotForm, URL_ENCODED]
NominationFormBody = Annotated[NominationForm, URL_ENCODED]
CountFormBody = Annotated[CountForm, URL_ENCODED]
ServesFromFormBody = Annotated[ServesFromForm, URL_ENCODED]
YesNoFormBody = Annotated[YesNoForm, URL_ENCODED]
RemitFormBody = Annotated[RemitForm, URL_ENCODED]
MeetingFormBody = Annotated[MeetingForm, URL_ENCODED]
ScheduleFormBody = Annotated[ScheduleForm, URL_ENCODED]
OutputFormBody = Annotated[OutputForm, URL_ENCODED]
PublicVotesFormBody = Annotated[PublicVotesForm, URL_ENCODED]
