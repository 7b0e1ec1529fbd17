# Source this file to export environment/native.env (the kit's JVM environment) into this shell:
#     source environment/native-env.sh
# Variables already set in the environment win.
_spade_env="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/native.env"
while IFS='=' read -r _spade_key _spade_value; do
    [[ -z "$_spade_key" || "$_spade_key" == \#* ]] && continue
    if [[ -z "${!_spade_key+x}" ]]; then
        export "$_spade_key=$_spade_value"
    fi
done < "$_spade_env"
unset _spade_env _spade_key _spade_value
