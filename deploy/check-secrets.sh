#!/bin/sh
# Refuses a deployment whose secrets are still the ones shipped in .env.example.
#
# docker compose runs this as the `secrets-check` service, which every other service
# waits for: a stack started from a copied .env.example stops here, before any database
# is initialised with a published password or any token is signed with a published key.
# Usage: check-secrets.sh ENV_EXAMPLE_FILE   (the values to check come from the environment)
set -u

example_file=${1:?usage: check-secrets.sh ENV_EXAMPLE_FILE}
if [ ! -r "$example_file" ]; then
    echo "secrets-check: cannot read $example_file" >&2
    exit 2
fi

# Every secret compose hands to a service. The Fernet key is checked for its form too.
SECRETS="AIRFLOW_METADATA_DB_PASSWORD NEWS_DB_PASSWORD AIRFLOW_ADMIN_PASSWORD AIRFLOW_JWT_SECRET AIRFLOW_API_SECRET_KEY AIRFLOW_FERNET_KEY"

# The value a NAME=value line of the example file gives (empty when absent).
example_value() {
    sed -n "s/^$1=//p" "$example_file" | tail -n 1
}

refused=0
for name in $SECRETS; do
    eval "value=\${$name:-}"
    if [ -z "$value" ]; then
        echo "secrets-check: $name is empty; set it in .env" >&2
        refused=1
    elif [ "$value" = "$(example_value "$name")" ]; then
        echo "secrets-check: $name still has its .env.example value; set a real one in .env" >&2
        refused=1
    fi
done

# A Fernet key is 32 bytes in url-safe base64: 43 characters and one '=' pad.
fernet=${AIRFLOW_FERNET_KEY:-}
if [ -n "$fernet" ] && ! printf '%s' "$fernet" | grep -Eq '^[A-Za-z0-9_-]{43}=$'; then
    echo "secrets-check: AIRFLOW_FERNET_KEY is not a Fernet key (32 url-safe base64 bytes)" >&2
    refused=1
fi

if [ "$refused" -ne 0 ]; then
    echo "secrets-check: refusing to start; see the comments in .env.example" >&2
    exit 1
fi
echo "secrets-check: every secret is set and none is the example's"
