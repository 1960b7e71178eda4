from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user picked another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many office PCs run an
    English-language browser, and their users still expect the Chinese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other work next (a test, a job in a threaded worker): it must
            # not inherit this user's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
