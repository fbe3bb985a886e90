"""An employer requests numbers in bulk in the portal, in each of the four languages: a file that is
no CSV is refused with the reason; a CSV of 5 workers (one with an impossible birth date) is
mapped, sent, followed to its end, and its per-row result file downloaded in the page's language."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from gateway.i18n import catalogue
from tests.browser.conftest import LOCALES, PHONE, shot, sign_in
from tests.browser.flows import unique_surname
from tests.browser.journey import Journey
from tests.support import new_employer_id

# A spreadsheet as an employer writes it: its columns named in the employer's language, as the
# portal's single-request form names the fields, and one column of its own ("E-mail") to map.
COLUMNS = ("Surname(s)", "Given names", "Sex", "Date of birth", "Country of birth", "Nationality",
           "Street", "Number", "Postal code", "City", "Country")  # fmt: skip
HEADER = {
    "fr": ("ligne", "statut", "demande", "champs", "raisons"),
    "nl": ("rij", "status", "aanvraag", "velden", "redenen"),
    "de": ("Zeile", "Status", "Antrag", "Felder", "Gründe"),
    "en": ("row", "status", "request", "fields", "reasons"),
}
ACCEPTED = {"fr": "acceptée", "nl": "aanvaard", "de": "angenommen", "en": "accepted"}


def column(lang: str, words: str) -> str:
    return catalogue(lang).gettext(words)


def workers_csv(lang: str, bad_row: int = 3) -> bytes:
    """5 new workers, one of them born on a day that does not exist."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*(column(lang, c) for c in COLUMNS), "E-mail"])
    for n in range(1, 6):
        born = "1990-13-45" if n == bad_row else f"19{70 + n}-0{n}-1{n}"
        writer.writerow([
            unique_surname(), unique_surname(), "female", born, "PL", "PL",
            f"ul. {unique_surname()}", str(n), "00-950", "Warszawa", "PL", f"hr{n}@example.be",
        ])  # fmt: skip
    return out.getvalue().encode()


@pytest.mark.parametrize("lang", list(LOCALES))
def test_an_employer_uploads_a_csv_follows_the_batch_and_downloads_the_results(
    new_page, system, lang
):
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "bulk")
    sign_in(page, employer=new_employer_id(), user=f"hr-bulk-{lang}", role="requester")
    page.locator("nav a[href='/bulk']").click()
    walk.look("upload")

    page.set_input_files("#f-file", files=[{"name": "photo.png", "mimeType": "image/png",
                                            "buffer": b"\x89PNG\r\n\x1a\n\x00"}])  # fmt: skip
    page.locator("form.bulk-upload button.primary").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#f-file")).to_have_attribute("aria-invalid", "true")
    walk.look("not-a-csv")

    page.set_input_files("#f-file", files=[{"name": "workers.csv", "mimeType": "text/csv",
                                            "buffer": workers_csv(lang)}])  # fmt: skip
    expect(page.locator("[data-file-chosen]")).to_contain_text("workers.csv")
    page.locator("form.bulk-upload button.primary").click()
    # Guessed from the header; a column is taken once (the residence's city, not the contact's).
    expect(page.locator("#f-map-surnames")).to_have_value(column(lang, "Surname(s)"))
    expect(page.locator("#f-map-residence_city")).to_have_value(column(lang, "City"))
    expect(page.locator("#f-map-contact_city")).to_have_value("")
    expect(page.locator("#f-map-notification_email")).to_have_value("")
    expect(page.locator("#f-default-language")).to_have_value(lang)
    page.select_option("#f-map-notification_email", "E-mail")
    walk.look("mapping")
    page.set_viewport_size(PHONE)
    shot(page, f"{lang}-bulk-phone-mapping")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("form.bulk-mapping button.primary").click()
    page.wait_for_url(re.compile(r"/bulk/[0-9a-f-]{36}$"))
    bar = page.locator("progress#batch-progress")
    expect(bar).to_have_attribute("max", "5")
    expect(page.locator("[data-batch-poll][data-done]")).to_have_count(1, timeout=30_000)
    expect(bar).to_have_attribute("value", "5")
    expect(page.locator("[data-count=accepted]")).to_have_text("4")
    expect(page.locator("[data-count=refused]")).to_have_text("1")
    expect(page.locator("[data-count=pending]")).to_have_text("0")
    expect(page.locator("[data-refused-row]")).to_have_count(1)
    expect(page.locator("[data-refused-row] td").nth(0)).to_have_text("3")
    expect(page.locator("[data-refused-row] td").nth(1)).to_have_text(column(lang, "Date of birth"))
    walk.look("batch-done")

    with page.expect_download() as download:
        page.locator("[data-results]").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER[lang]
    assert [r[1] for r in rows[1:]].count(ACCEPTED[lang]) == 4
    refused = next(r for r in rows[1:] if r[0] == "3")
    assert refused[3] == column(lang, "Date of birth") and refused[4] and not refused[2]

    page.set_viewport_size(PHONE)
    shot(page, f"{lang}-bulk-phone-batch")
    page.locator("a[href='/bulk']").last.click()
    expect(page.locator("tr[data-batch]")).to_have_count(1)
    walk.look("recent-batches-phone")
