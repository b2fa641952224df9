"""A URL path of the hall never holds a NUL character.

A path argument (an item's code, a query number) reaches a lookup as it was
typed; PostgreSQL refuses NUL in any text, so `/items/a%00b/` would be a server
error on every page that takes a code. No page of the hall has one in its
address: the answer is 404, as for any address that is no page, before any
view runs. Query strings are judged by each page's own fields (a search drops
NUL, an id refuses it).
"""

from django.http import Http404


class RefuseNulPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL in the URL path")
        return self.get_response(request)
