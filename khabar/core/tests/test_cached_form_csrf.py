from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase

from khabar.core.csrf import cached_form_csrf


@cached_form_csrf
def accept(request):
    return HttpResponse("stored")


class CachedFormCsrfTests(SimpleTestCase):
    def setUp(self):
        self.factory = RequestFactory()

    def post(self, data=None, **headers):
        request = self.factory.post("/comments/", data or {"body": "hello"}, **headers)
        return accept(request)

    def test_it_refuses_a_post_with_no_token_and_no_origin(self):
        self.assertEqual(self.post().status_code, 403)

    def test_it_refuses_a_cross_site_post_without_token(self):
        self.assertEqual(self.post(HTTP_ORIGIN="https://evil.example").status_code, 403)
        self.assertEqual(self.post(HTTP_SEC_FETCH_SITE="cross-site").status_code, 403)

    def test_it_accepts_a_same_origin_post_from_a_browser_without_javascript(self):
        self.assertEqual(self.post(HTTP_ORIGIN="http://testserver").status_code, 200)
        self.assertEqual(self.post(HTTP_SEC_FETCH_SITE="same-origin").status_code, 200)

    def test_it_refuses_a_forged_token_even_from_the_same_origin(self):
        response = self.post({"body": "x", "csrfmiddlewaretoken": "forged" * 8}, HTTP_ORIGIN="http://testserver")
        self.assertEqual(response.status_code, 403)


class CsrfTokenEndpointTests(TestCase):
    def test_it_hands_out_a_token_that_is_never_cached(self):
        response = self.client.get("/csrf/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["token"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("csrftoken", response.cookies)
