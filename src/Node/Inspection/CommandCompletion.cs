namespace ActorDemo.Node.Inspection;

/// <summary>
/// Tab completion of <c>cmd</c> in bash, generated from the command table so that it never lists a
/// command the client does not have: <c>source &lt;(ActorDemo.Aggregator cmd completion bash)</c>.
/// </summary>
internal static class CommandCompletion
{
    /// <param name="program">The executable whose commands these are (each has those of its roles); a container's <c>./node</c> is left out, since "node" is Node.js's name.</param>
    public static string Bash(string program, IEnumerable<string> commands)
    {
        var quoted = string.Join(' ', commands.Select(command => $"'{command}'"));
        return $$"""
            # bash completion for ActorDemo's cmd: source <({{program}} cmd completion bash)
            _actordemo_cmd() {
                local cur="${COMP_WORDS[COMP_CWORD]}" typed="" word command i
                # Only after "cmd": the node's own flags are in --help.
                [[ "${COMP_WORDS[1]}" == cmd && COMP_CWORD -ge 2 ]] || return 0
                [[ "${COMP_WORDS[COMP_CWORD-1]}" == --token ]] && return 0
                for ((i = 2; i < COMP_CWORD; i++)); do
                    word="${COMP_WORDS[i]}"
                    case "$word" in
                        --json) ;;
                        --token) ((i++)) ;;
                        *:[0-9]*) ;;
                        *) typed+="$word " ;;
                    esac
                done
                local candidates="--json --token"
                local commands=({{quoted}})
                for command in "${commands[@]}"; do
                    if [[ "$command " == "$typed"* && "$command " != "$typed" ]]; then
                        word="${command#"$typed"}"
                        word="${word%% *}"
                        [[ " $candidates " == *" $word "* ]] || candidates+=" $word"
                    fi
                done
                COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
            }
            complete -F _actordemo_cmd {{program}}

            """;
    }
}
