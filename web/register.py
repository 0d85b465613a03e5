"""The electoral register for administrators: what it holds, importing its CSV (all or
nothing), and downloading the letters that carry codes by post."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Annotated

from litestar import Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from chamber.errors import Invalid
from chamber.register.claims import export_letters
from chamber.register.files import letters_csv
from chamber.register.services import import_register
from chamber.register.views import register_summary
from web.deps import AnyRequest, now_of, perform, require
from web.public import page
from web.schemas import Checkbox

MAX_REGISTER = 200 * 1024 * 1024
ADMIN = [require("administrator")]


@dataclass
class RegisterUpload:
    register: UploadFile
    dry_run: Checkbox = None


def _summary_page(request: AnyRequest, **extra: object) -> Template:
    summary = perform(request, register_summary, now_of(request))
    return page("admin_register.html", request, s=summary, **extra)


@get("/admin/register", name="admin_register", guards=ADMIN, sync_to_thread=True)
def register_home(request: AnyRequest) -> Template:
    return _summary_page(request)


@post(
    "/admin/register", name="import_register", guards=ADMIN,
    request_max_body_size=MAX_REGISTER + 65536, sync_to_thread=True,
)
def import_file(
    request: AnyRequest,
    data: Annotated[RegisterUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:
    raw = data.register.file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(f"{data.register.filename}: not UTF-8 text ({exc.reason})") from None
    report = perform(
        request, import_register, data.register.filename, text, now_of(request),
        dry_run=data.dry_run is not None,
    )
    return _summary_page(request, report=report)


@post("/admin/register/letters", name="register_letters", guards=ADMIN, sync_to_thread=True)
def letters(request: AnyRequest) -> Response[str]:
    """The codes waiting to be posted, as CSV; each is then marked posted and its code erased."""
    now = now_of(request)
    rows = perform(request, export_letters, now)
    return Response(
        letters_csv([astuple(r) for r in rows]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="letters-{now:%Y-%m-%d}.csv"'},
    )


router = Router(path="/", route_handlers=[register_home, import_file, letters])
