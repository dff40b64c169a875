"""The upload size limit (`OPENUHC_MAX_UPLOAD_MB`), enforced while the request arrives, not after the whole
file is on disk.

- `upload_limit` (middleware): a request that declares a body larger than the limit is refused (413) before a
  byte of it is read.
- `LimitedUploadHandler` (first of FILE_UPLOAD_HANDLERS): counts the bytes of uploaded files as they arrive
  (a body without a declared length, or one longer than it said); past the limit it stops storing — what
  came so far is deleted, the rest is read and dropped — and the middleware answers 413 before the view runs.

Pages get a page saying the limit, the API `{code, message}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Room for the form's other fields next to the file.
FORM_SLACK = 1024 * 1024


def _limit() -> int:
    return int(settings.OPENUHC_MAX_UPLOAD_BYTES)


def too_large(request: HttpRequest) -> HttpResponse:
    mb = _limit() // (1024 * 1024)
    message = _("The file is larger than the allowed %(mb)s MB.") % {"mb": mb}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "upload_too_large", "message": message}, status=413)
    return render(request, "400.html", {"problem": message}, status=413)


class LimitedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        received = getattr(self.request, "_upload_bytes", 0) + len(raw_data)
        self.request._upload_bytes = received  # type: ignore[union-attr]  # all files of the request count
        if received > _limit():
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > _limit() + FORM_SLACK:
            return too_large(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 - parse now (through LimitedUploadHandler), before the view
            if getattr(request, "upload_too_large", False):
                return too_large(request)
        return None
