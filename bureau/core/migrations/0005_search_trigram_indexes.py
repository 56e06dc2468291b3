"""Trigram indexes for the header search's substring matches (PostgreSQL; a no-op elsewhere)."""

from django.db import migrations

from bureau.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("core", "0004_site_settings_setup_dismissed")]

    operations = [
        *trigram_index_operations("core_policy", ["title", "document_number"]),
    ]
