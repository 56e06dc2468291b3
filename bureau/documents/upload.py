"""The first upload handler (settings.FILE_UPLOAD_HANDLERS): a file larger than DOCUMENT_MAX_BYTES is
cut off while it streams in. Its later chunks are dropped here (the handlers after this one, which
would buffer them in memory or a temporary file, never see them), and the request gets an empty
``OversizeUpload`` in its place, which the content check refuses with the file's name."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(UploadedFile):
    oversize = True

    def __init__(self, name: str, content_type: str, size: int):
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.DOCUMENT_MAX_BYTES
        self.received = 0
        self.oversize = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversize = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.oversize = True
            return None  # swallowed: the rest of this file is read off the wire and dropped
        return raw_data

    def file_complete(self, file_size):
        if self.oversize:
            return OversizeUpload(self.file_name, self.content_type, self.received)
        return None
