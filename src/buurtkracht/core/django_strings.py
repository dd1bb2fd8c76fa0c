"""Texts of Django's own admin templates that Django's Dutch catalogue (Django 5.2) does
not translate, so that Beheer would show them in English: above all the column headers
of the list of models on every admin page ("Model name", "Add link", "Change or view list
link"), which a screen reader reads out.

They are named here only so that `makemessages` keeps them in our catalogue, which Django
reads before its own (LOCALE_PATHS comes first). Remove a text once Django translates it;
tests/test_admin_translations.py notices when one is missing.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_ADMIN_TEXTS = (
    # admin/app_list.html: the (visually hidden) column headers of the list of models.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # The page title of a form with an error; the login page; adding a user.
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("In case you’ve forgotten, you are:"),
)
