from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the visitor chose another language.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a government hall answers in Chinese by default, English only on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        patch_vary = response.get("Vary")
        response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response
