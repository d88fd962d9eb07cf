from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's, except that an asynchronous stream (a CSV export) goes out uncompressed.

    Django 5.2 gzips each chunk of an asynchronous stream as a gzip member of its own; browsers and most
    clients decode only the first member, so a download stopped after its first line. Synchronous streams
    and whole responses are compressed as before.
    """

    def process_response(self, request, response):
        if response.streaming and getattr(response, "is_async", False):
            return response
        return super().process_response(request, response)
