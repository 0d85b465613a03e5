"""Searching the record and following: /search finds debates, speeches and divisions by words;
a member of the public follows a subject (a search's words) or a division and manages what
they follow on /me/follows; anyone signed in says on /me/account where their notices are
e-mailed, or that they are not."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Router, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from chamber.accounts.contact import contact, set_contact
from chamber.divisions.follows import (
    follow_subject,
    follows_of,
    unfollow_division,
    unfollow_subject,
)
from chamber.errors import Invalid
from chamber.search.services import KINDS, search
from web.deps import AnyRequest, now_of, perform, require, signed_in, user_of
from web.errors import status_for
from web.public import page
from web.schemas import ContactFormBody, SubjectFormBody

Kinds = Annotated[list[str] | None, QueryParameter(name="kind", max_items=len(KINDS))]
SAVED = {
    "followed": "You follow the subject: you will be told when a division on it opens.",
    "unfollowed": "You no longer follow it.",
    "contact": "Saved.",
}


@get("/search", name="search", sync_to_thread=True)
def search_page(request: AnyRequest, q: str | None = None, kinds: Kinds = None,
                page_number: Annotated[int, QueryParameter(name="page")] = 1) -> Template:
    """Debates, speeches and divisions with every word of ``q``, best first, a page at a time
    (``kind`` keeps some kinds only).  Without ``q`` the form alone; an empty ``q`` or one with
    no word is a 400 with the reason beside the field."""
    wanted = tuple(kinds or ())
    if q is None:
        return page("search.html", request, r=None, q="", kinds=wanted, kinds_all=KINDS)
    user = user_of(request)
    try:
        results = perform(request, search, q[:200], wanted, page_number)
    except Invalid as exc:
        response = page("search.html", request, r=None, q=q[:200], kinds=wanted,
                        kinds_all=KINDS, error=str(exc))
        response.status_code = status_for(exc)
        return response
    follows = None
    if user is not None and user.role == "public":
        follows = {s.words for s in perform(request, follows_of, user.id).subjects}
    base = "/search?" + urlencode([("q", q[:200]), *(("kind", k) for k in wanted)])
    return page("search.html", request, r=results, q=q[:200], kinds=wanted, kinds_all=KINDS,
                follows=follows, base=base)


PUBLIC = [require("public")]


@get("/me/follows", name="my_follows", guards=PUBLIC, sync_to_thread=True)
def my_follows(request: AnyRequest, saved: str | None = None) -> Template:
    """The divisions and subjects the signed-in person follows, each to stop following."""
    user = signed_in(request)
    return page("follows.html", request, f=perform(request, follows_of, user.id),
                saved=SAVED.get(saved or ""))


@post("/me/follows/subjects", name="follow_subject", guards=PUBLIC, sync_to_thread=True)
def follow_words(request: AnyRequest, data: SubjectFormBody) -> Redirect:
    """Follow a subject: be told when a division whose question has all its words opens."""
    perform(request, follow_subject, signed_in(request).id, data.words, now_of(request))
    return Redirect("/me/follows?saved=followed")


@post("/me/follows/subjects/{follow_id:int}/unfollow", name="unfollow_subject", guards=PUBLIC,
      sync_to_thread=True)
def unfollow_words(request: AnyRequest, follow_id: int) -> Redirect:
    perform(request, unfollow_subject, signed_in(request).id, follow_id)
    return Redirect("/me/follows?saved=unfollowed")


@post("/me/follows/divisions/{division_id:int}/unfollow", name="unfollow_division",
      guards=PUBLIC, sync_to_thread=True)
def unfollow_one(request: AnyRequest, division_id: int) -> Redirect:
    perform(request, unfollow_division, signed_in(request).id, division_id)
    return Redirect("/me/follows?saved=unfollowed")


SIGNED_IN = [require("public", "member", "clerk", "administrator")]


@get("/me/account", name="my_account", guards=SIGNED_IN, sync_to_thread=True)
def my_account(request: AnyRequest, saved: str | None = None) -> Template:
    """Where the signed-in person's notices are e-mailed, and whether they are."""
    user = signed_in(request)
    return page("account.html", request, c=perform(request, contact, user.id),
                saved=SAVED.get(saved or ""), form=None)


@post("/me/account", name="my_account_change", guards=SIGNED_IN, sync_to_thread=True)
def change_account(request: AnyRequest, data: ContactFormBody) -> Redirect | Template:
    user = signed_in(request)
    try:
        perform(request, set_contact, user.id, data.email, data.notices == "on")
    except Invalid as exc:
        response = page("account.html", request, c=perform(request, contact, user.id),
                        saved=None, form=data, error=str(exc))
        response.status_code = status_for(exc)
        return response
    return Redirect("/me/account?saved=contact")


router = Router(
    path="/", tags=["pages (HTML forms)"],
    route_handlers=[search_page, my_follows, follow_words, unfollow_words, unfollow_one,
                    my_account, change_account],
)
