# The local equivalent of the Python base the Alembic example is built on by default, for machines
# that reach no registry: Debian's Python 3.11 in a virtual environment that is first on the PATH,
# so that `pip install` puts packages where the public image's pip does, with the certificate
# authorities of the machine that builds (bases.sh puts them in the context).
ARG DEBIAN=schemagate.local/debian:bookworm
FROM ${DEBIAN}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /usr/local/python
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PATH=/usr/local/python/bin:$PATH PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1
