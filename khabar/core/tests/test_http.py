"""The reader-response helpers every per-reader endpoint shares (khabar.core.http)."""

from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase

from khabar.core.http import limit_body, private, wants_json


@limit_body(10, "Too large.")
def echo(request):
    return HttpResponse("ok")


class ReaderResponseTests(SimpleTestCase):
    factory = RequestFactory()

    def test_scripts_xhr_and_the_api_want_json_and_browsers_do_not(self):
        self.assertTrue(wants_json(self.factory.get("/x/", headers={"Accept": "application/json"})))
        self.assertTrue(wants_json(self.factory.get("/x/", headers={"X-Requested-With": "XMLHttpRequest"})))
        self.assertTrue(wants_json(self.factory.get("/api/v2/pages/")))
        self.assertFalse(wants_json(self.factory.get("/x/", headers={"Accept": "text/html,*/*"})))

    def test_a_private_answer_is_kept_by_no_cache_and_varies_on_the_cookie(self):
        response = private(HttpResponse("mine"))
        for word in ("no-store", "private", "no-cache", "max-age=0"):
            self.assertIn(word, response["Cache-Control"])
        self.assertIn("Cookie", response["Vary"])

    def test_a_body_over_the_limit_is_refused_with_its_reason_and_no_database(self):
        # SimpleTestCase fails any query: the refusal costs none.
        big = self.factory.post("/x/", data="a" * 11, content_type="text/plain")
        response = echo(big)
        self.assertEqual((response.status_code, response.content), (413, b"Too large.\n"))
        self.assertIn("no-store", response["Cache-Control"])
        scripted = self.factory.post(
            "/x/", data="a" * 11, content_type="text/plain", headers={"Accept": "application/json"}
        )
        self.assertJSONEqual(echo(scripted).content, {"error": "Too large."})
        self.assertEqual(echo(self.factory.post("/x/", data="a" * 10, content_type="text/plain")).content, b"ok")
