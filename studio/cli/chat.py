"""``peft-studio chat``: talk to a base model with adapters, or compare their answers.

With a prompt: the answer streams to stdout and the command exits (one answer per adapter
under a header when there are several, or with --with-base). Without: an interactive
session that keeps the conversation. Progress and notices go to stderr, answers to stdout.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from studio.core.config import DEVICES
from studio.core.errors import StudioError
from studio.core.messages import lines, msg

COMMANDS_HELP = ("commands: /adapter NAME (switch; 'base' = no adapter), /adapters, "
                 "/system TEXT, /reset, /quit")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "chat", help="chat with a base model and adapters, or compare their answers",
        description="Answer a prompt with a base model and fine-tuned adapters, or chat "
                    "interactively when no prompt is given. An adapter is a run (id, name or "
                    "output folder), RUN@STEP for a checkpoint, or a folder with PEFT files.")
    parser.add_argument("prompt", nargs="?",
                        help="answer this and exit (without it: an interactive session)")
    parser.add_argument("--base", metavar="MODEL",
                        help="base model folder or hub id (default: the one the adapter names)")
    parser.add_argument("--adapter", action="append", default=[], metavar="DIR_OR_RUN",
                        help="an adapter to load; repeat it to compare several")
    parser.add_argument("--with-base", action="store_true",
                        help="also answer with the base model alone, for comparison")
    parser.add_argument("--system", metavar="TEXT", help="system prompt")
    parser.add_argument("--max-new-tokens", type=int, default=128, metavar="N")
    parser.add_argument("--temperature", type=float, default=0.7, metavar="T")
    parser.add_argument("--top-p", type=float, default=0.9, metavar="P")
    parser.add_argument("--top-k", type=int, default=50, metavar="K")
    parser.add_argument("--repetition-penalty", type=float, default=1.0, metavar="R")
    parser.add_argument("--seed", type=int, metavar="S")
    parser.add_argument("--greedy", action="store_true", help="always take the likeliest token")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    parser.add_argument("--allow-pickle-weights", action="store_true",
                        help="allow pickle weights (.bin, .pt) where a folder has no "
                             "safetensors; a pickle can run code, so it is read by a loader "
                             "that accepts tensors only")
    parser.set_defaults(handler=run)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _names(sources: list[Any]) -> list[str]:
    names: list[str] = []
    for source in sources:
        base = source.name or "adapter"
        name, n = base, 1
        while name in names or name == "base":
            n += 1
            name = f"{base}-{n}"
        names.append(name)
    return names


def prepare(args: argparse.Namespace) -> tuple[str, list[Any], list[str], str | None]:
    """Resolve and check everything before the stack is imported. Raises StudioError."""
    from studio.core.inference import check_compatible, resolve_adapter
    from studio.core.inference.compatibility import local_folder

    sources = [resolve_adapter(ref) for ref in args.adapter]
    base = args.base
    full = [s for s in sources if s.kind == "full"]
    if full:
        if len(sources) > 1 or base:
            raise StudioError(msg("cli.whole_model_not_adapter", name=full[0].name,
                                  path=full[0].path))
        base, sources = full[0].path, []
    if base is None:
        if not sources:
            raise StudioError(msg("cli.give_base"))
        named = sources[0].base_model
        if not named or local_folder(named) is None:
            raise StudioError(msg("cli.base_not_here", name=sources[0].name,
                                  base=named or msg("cli.unknown_base")))
        base = named
    task = next((s.task for s in sources if s.task), None)
    for source in sources:
        problems = check_compatible(source, base, task=task)
        if problems:
            raise StudioError(msg("cli.does_not_fit", name=source.name, base=base, problems=lines(
                [msg("text.indented", text=p) for p in problems])))
    return base, sources, _names(sources), task


def run(args: argparse.Namespace) -> int:
    from studio.core import weightsafety
    from studio.core.inference import GenerationSettings, InferenceSession

    weightsafety.allow_pickle(args.allow_pickle_weights)
    try:
        settings = GenerationSettings(
            max_new_tokens=args.max_new_tokens, temperature=args.temperature, top_p=args.top_p,
            top_k=args.top_k, repetition_penalty=args.repetition_penalty, seed=args.seed,
            greedy=args.greedy)
        base, sources, names, task = prepare(args)
        labels = next((s.label_names for s in sources if s.label_names), None)
        session = InferenceSession(base, task=task, device=args.device, label_names=labels)
        session.load(lambda stage: _note(f"[{stage}]"))
        for name, source in zip(names, sources):
            session.add_adapter(name, source, progress=lambda stage: _note(f"[{stage}]"))
        session.use(names[0] if names else None)
    except StudioError as exc:
        _note(f"peft-studio chat: {exc}")
        return 2
    try:
        if args.prompt is not None:
            return _answer_once(session, args, settings, names)
        return _interactive(session, args, settings, names)
    except StudioError as exc:
        _note(f"peft-studio chat: {exc}")
        return 1
    except KeyboardInterrupt:
        print(flush=True)
        return 130


def _label(name: str | None) -> str:
    return "base" if name is None else name


def _print_labels(ranked: list[tuple[str, float]]) -> None:
    width = max(len(label) for label, _ in ranked)
    for label, prob in ranked:
        print(f"{label:<{width}}  {prob:.4f}  {'#' * round(prob * 30)}".rstrip(), flush=True)


def _stream_out(stream: Any) -> str:
    for piece in stream:
        sys.stdout.write(piece)
        sys.stdout.flush()
    print(flush=True)
    return stream.text


def _answer_once(session: Any, args: argparse.Namespace, settings: Any,
                 names: list[str]) -> int:
    targets: list[str | None] = ([None] if args.with_base or not names else []) + list(names)
    headers = len(targets) > 1
    if session.task == "seq_cls":
        for name in targets:
            if headers:
                print(f"=== {_label(name)} ===", flush=True)
            _print_labels(session.classify(args.prompt, adapter=name))
        return 0
    if session.task == "seq2seq":
        for name in targets:
            if headers:
                print(f"=== {_label(name)} ===", flush=True)
            _stream_out(session.stream_text(args.prompt, settings, adapter=name,
                                            system_prompt=args.system))
        return 0
    messages = [{"role": "user", "content": args.prompt}]
    if not headers:
        _stream_out(session.stream_chat(messages, settings, adapter=targets[0],
                                        system_prompt=args.system))
        return 0
    started: list[str | None] = []

    def on_start(name: str | None) -> None:
        if started:
            print(flush=True)
        started.append(name)
        print(f"=== {_label(name)} ===", flush=True)

    def on_piece(name: str | None, piece: str) -> None:
        sys.stdout.write(piece)
        sys.stdout.flush()

    session.compare(messages, targets, settings, system_prompt=args.system,
                    on_piece=on_piece, on_start=on_start)
    print(flush=True)
    return 0


def _read_line() -> str | None:
    sys.stderr.write("> ")
    sys.stderr.flush()
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _command(session: Any, line: str, names: list[str], state: dict[str, Any]) -> bool:
    """Handle a /command; False ends the session."""
    command, _, arg = line[1:].partition(" ")
    command, arg = command.lower(), arg.strip()
    if command in ("quit", "exit", "q"):
        return False
    if command in ("reset", "clear"):
        state["messages"] = []
        _note("(conversation cleared)")
    elif command == "adapters":
        for name in ["base", *names]:
            mark = "*" if (session.active or "base") == name else " "
            _note(f" {mark} {name}")
    elif command == "adapter":
        if not arg:
            _note(f"answering: {_label(session.active)}; loaded: {', '.join(['base', *names])}")
        elif arg in ("base", "none") or arg in names:
            session.use(None if arg in ("base", "none") else arg)
            _note(f"(now answering: {_label(session.active)})")
        else:
            _note(f"no adapter named {arg!r}; loaded: {', '.join(['base', *names])}")
    elif command == "system":
        state["system"] = arg or None
        _note("(system prompt set)" if arg else "(system prompt cleared)")
    else:
        _note(COMMANDS_HELP)
    return True


def _interactive(session: Any, args: argparse.Namespace, settings: Any,
                 names: list[str]) -> int:
    _note(f"Answering with {_label(session.active)} on {session.base_path}. {COMMANDS_HELP}")
    state: dict[str, Any] = {"messages": [], "system": args.system}
    while True:
        try:
            line = _read_line()
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return 0
        if line is None:
            print(file=sys.stderr)
            return 0
        line = line.strip()
        if not line:
            continue
        if line.startswith("/"):
            if not _command(session, line, names, state):
                return 0
            continue
        if session.task == "seq_cls":
            _print_labels(session.classify(line))
            continue
        stop = threading.Event()
        if session.task == "seq2seq":
            stream = session.stream_text(line, settings, system_prompt=state["system"], stop=stop)
        else:
            state["messages"].append({"role": "user", "content": line})
            stream = session.stream_chat(state["messages"], settings,
                                         system_prompt=state["system"], stop=stop)
        try:
            text = _stream_out(stream)
        except KeyboardInterrupt:   # stop this answer, keep the session
            stop.set()
            stream.close()
            print(flush=True)
            text = stream.text
        if session.task != "seq2seq":
            state["messages"].append({"role": "assistant", "content": text})
