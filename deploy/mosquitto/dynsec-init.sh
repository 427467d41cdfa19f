#!/bin/sh
# Mosquitto's dynamic-security plugin for MQTT_URL mode: the service keeps every device's account there
# (MQTT_DYNSEC_URL), so a rotated, revoked or erased device secret stops working on the broker at once.
#   dynsec-init.sh file <path>   before the broker first starts: the plugin's file, with the control account
#   dynsec-init.sh accounts      on the running broker: the ingest role and account the service consumes with
# Environment: CONTROL_USER, CONTROL_PASSWORD, INGEST_USER, INGEST_PASSWORD; for `accounts`, MQTT_HOST,
# MQTT_PORT and, over TLS, MQTT_CAFILE. POSIX sh, for the broker's own image too.
# The tests set their broker up with this very script (test/support/mosquitto.ts).
set -eu

ctrl() {
  mosquitto_ctrl -h "${MQTT_HOST:-127.0.0.1}" -p "${MQTT_PORT:-1883}" ${MQTT_CAFILE:+--cafile "$MQTT_CAFILE"} \
    -u "$CONTROL_USER" -P "$CONTROL_PASSWORD" dynsec "$@" >/dev/null
}

case "${1:-}" in
  file)
    if [ ! -f "$2" ]; then mosquitto_ctrl dynsec init "$2" "$CONTROL_USER" "$CONTROL_PASSWORD" >/dev/null; fi
    ;;
  accounts)
    # The ingest account reads every device's telemetry through the shared subscription (Mosquitto checks
    # the $share form too) and publishes the rejection notices. Devices get an account and a role each,
    # made by the service: their serial as the only client id, their own topics only.
    ctrl createRole ingest
    ctrl addRoleACL ingest subscribePattern '$share/ingest/poc/v1/+/telemetry' allow
    ctrl addRoleACL ingest subscribePattern 'poc/v1/+/telemetry' allow
    ctrl addRoleACL ingest publishClientReceive 'poc/v1/+/telemetry' allow
    ctrl addRoleACL ingest publishClientSend 'poc/v1/+/rejected' allow
    ctrl createClient "$INGEST_USER" -p "$INGEST_PASSWORD"
    ctrl addClientRole "$INGEST_USER" ingest
    ;;
  *)
    echo "usage: $0 file <path> | accounts" >&2
    exit 2
    ;;
esac
