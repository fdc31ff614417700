"""Public layout: Vietnamese first, the display preferences remembered, and the language switch."""
import pytest

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default_even_for_an_english_browser(client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert r.status_code == 200
    assert '<html lang="vi"' in r.content.decode()


def test_language_switch_is_remembered(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/tinh-han/"})
    assert r.status_code == 302 and r["Location"] == "/tinh-han/"
    page = client.get("/tinh-han/").content.decode()
    assert '<html lang="en"' in page
    assert "Due date calculator" in page


def test_text_size_and_contrast_without_javascript(client):
    r = client.post("/hien-thi/", {"text": "large", "next": "/tinh-han/"})
    assert r.status_code == 302 and r["Location"] == "/tinh-han/"
    r = client.post("/hien-thi/", {"contrast": "high", "next": "/tinh-han/"})
    html = client.get("/").content.decode()
    assert "kc-text-large" in html and "kc-contrast" in html
    assert 'aria-pressed="true" data-kc-text="large"' in html


def test_display_preferences_ignore_bad_values_and_foreign_redirects(client):
    r = client.post("/hien-thi/", {"text": "huge", "contrast": "neon", "next": "https://evil.example/"})
    assert r["Location"] == "/"
    assert "kc_text" not in r.cookies and "kc_contrast" not in r.cookies
    assert "kc-text-normal" in client.get("/").content.decode()
