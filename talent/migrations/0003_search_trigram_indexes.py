"""Trigram indexes for the header search's substring matches (PostgreSQL; a no-op elsewhere)."""

from django.db import migrations

from bureau.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("talent", "0002_seed_platform_types")]

    operations = [
        *trigram_index_operations("talent_person", ["name", "field"]),
        *trigram_index_operations("talent_platform", ["name"]),
        *trigram_index_operations("talent_cooperationagreement", ["title"]),
    ]
