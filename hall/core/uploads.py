"""Request size limits: a body over the limit is refused before it is read,
and a streamed body is cut off once it passes the limit, so no upload can
fill the memory or the disk."""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.shortcuts import render


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        self.request._upload_total = getattr(self.request, "_upload_total", 0)
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.request._upload_total = getattr(self.request, "_upload_total", 0) + len(raw_data)
        if self.request._upload_total > settings.UPLOAD_MAX_REQUEST_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
