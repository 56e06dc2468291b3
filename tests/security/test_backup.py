"""Backups that are proven: back up, restore into a fresh database, find every table equal."""

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.enterprises.factories import EnterpriseFactory

ON_POSTGRES = connection.vendor == "postgresql"


def sample(cursor, table, quote):
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1 LIMIT 20")
    return [tuple(str(v) for v in row) for row in cursor.fetchall()]


def some_data():
    EnterpriseFactory.create_batch(7)
    media = Path(settings.MEDIA_ROOT) / "reports" / "x.pdf"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"%PDF-1.7 backup me")
    return media


def tables():
    return connection.introspection.table_names()


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump/pg_restore round trip: runs in the PostgreSQL stage of CI")
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database_with_every_table_equal(tmp_path):
    import psycopg2

    media = some_data()
    archive = tmp_path / "bureau.tar"
    call_command("backup", "--output", str(archive))
    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        c.execute(f'CREATE DATABASE "{fresh}"')
    try:
        call_command(
            "restore", str(archive), "--dbname", fresh, "--media-root", str(tmp_path / "restored"), "--noinput"
        )
        restored = psycopg2.connect(dbname=fresh, **params)
        quote = connection.ops.quote_name
        try:
            with connection.cursor() as here, restored.cursor() as there:
                for table in tables():
                    here.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                    there.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                    assert here.fetchone() == there.fetchone(), table
                    assert sample(here, table, quote) == sample(there, table, quote), table
                here.execute("SELECT COUNT(*) FROM enterprises_enterprise")
                assert here.fetchone()[0] == 7
        finally:
            restored.close()
        assert (tmp_path / "restored" / "reports" / "x.pdf").read_bytes() == media.read_bytes()
    finally:
        with admin.cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite backup API round trip; PostgreSQL has its own test")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_file_with_every_table_equal(tmp_path):
    some_data()
    archive = tmp_path / "bureau.tar"
    call_command("backup", "--output", str(archive))
    fresh = tmp_path / "fresh.sqlite3"
    call_command("restore", str(archive), "--dbname", str(fresh), "--media-root", str(tmp_path / "m"), "--noinput")
    restored = sqlite3.connect(fresh)
    quote = connection.ops.quote_name
    try:
        with connection.cursor() as here:
            there = restored.cursor()
            for table in tables():
                assert sample(here, table, quote) == sample(there, table, quote), table
                here.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                there.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                assert here.fetchone() == there.fetchone(), table
    finally:
        restored.close()
    assert (tmp_path / "m" / "reports" / "x.pdf").exists()
