"""Trigram indexes for the header search's substring matches (PostgreSQL; a no-op elsewhere)."""

from django.db import migrations

from bureau.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_applicationlog_by_system")]

    operations = [
        *trigram_index_operations("programs_application", ["title", "institution"]),
    ]
