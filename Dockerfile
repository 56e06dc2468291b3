# Production image: Debian's Python 3.11 with WeasyPrint's libraries and the CJK fonts (FandolFang is
# copied out of texlive-lang-chinese, not the whole package: see the Makefile's fandol-fonts).
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=bureau.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai poppler-utils postgresql-client \
    && cd /tmp && apt-get download texlive-lang-chinese \
    && dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | tar -x --wildcards \
         '*/fandol/FandolFang-Regular.otf' '*/fandol/COPYING.gz' '*/fandol/README' \
    && mkdir -p /usr/local/share/fonts/fandol && find /tmp -path '*fandol/*' -type f -exec cp {} /usr/local/share/fonts/fandol/ \; \
    && fc-cache -f /usr/local/share/fonts/fandol && rm -rf /tmp/* /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py prepare_report_fonts \
    && useradd --system --home /app bureau && mkdir -p /app/media && chown -R bureau /app/media
USER bureau
EXPOSE 8000
CMD ["gunicorn", "bureau.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]
