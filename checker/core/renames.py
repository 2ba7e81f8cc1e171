"""Old proposal files keep loading: fields and values the schema renamed are read under their new names.

Each rename is read with a Japanese notice naming the file, the line and the new name, so a
department can update its file when convenient; nothing is dropped silently. The loaded data is
rewritten in a copy (the positions of the old keys are kept for the new ones, so errors and lint
locations still point at the line the department wrote).
"""
from __future__ import annotations

from typing import Any

from checker.core.loading import LoadedYaml, Position

# systems[].location mixed where a system stands with the form of its contract; it is now
# `place` plus `terms`. Each old value keeps what it used to say, and no more.
OLD_LOCATIONS: dict[str, tuple[str, str | None]] = {
    "on_premises": ("on_premises", None),
    "vendor_datacentre": ("vendor_datacentre", "negotiated"),   # labelled 事業者データセンター（個別契約）
    "saas_standard_terms": ("cloud", "standard"),
    "negotiated_cloud": ("cloud", "negotiated"),
    "government_cloud": ("government_cloud", None),
    "standalone_terminal": ("standalone_terminal", None),
    "mobile_device": ("mobile_device", None),
}


def _notice(path: str, pos: Position | None, text: str) -> str:
    pos = pos or Position(1, 1)
    return f"{path}:{pos.line}:{pos.column}: お知らせ: {text}"


def _move_position(loaded: LoadedYaml, old: tuple[Any, ...], new: tuple[Any, ...]) -> None:
    """The new key stands where the old one was written."""
    if old in loaded.keys:
        loaded.keys.setdefault(new, loaded.keys[old])
    if old in loaded.values:
        loaded.values.setdefault(new, loaded.values[old])


def _system_location(system: dict[str, Any], where: tuple[Any, ...], loaded: LoadedYaml, path: str) -> bool:
    if "location" not in system or "place" in system or "terms" in system:
        return False   # nothing old, or old and new together: left for validation to report
    value = system["location"]
    if not isinstance(value, str) or value not in OLD_LOCATIONS:
        return False   # not an old value: validation reports the unknown key with the new names
    place, terms = OLD_LOCATIONS[value]
    del system["location"]
    system["place"] = place
    _move_position(loaded, where + ("location",), where + ("place",))
    said = f"place: {place}"
    if terms is not None:
        system["terms"] = terms
        _move_position(loaded, where + ("location",), where + ("terms",))
        said += f"、terms: {terms}"
    index = where[-1]
    loaded.notices.append(_notice(
        path, loaded.keys.get(where + ("location",)),
        f"systems[{index}].location は、設置・保管場所の place と契約の形態の terms に分かれました。"
        f"「location: {value}」を「{said}」として読みました。ファイルをこの書き方に改めてください。"))
    return True


def upgrade(data: Any, loaded: LoadedYaml, path: str) -> Any:
    """The data with old names read as new ones (a changed copy, or `data` itself when nothing is old)."""
    if not isinstance(data, dict) or not isinstance(data.get("systems"), list):
        return data
    if not any(isinstance(s, dict) and "location" in s for s in data["systems"]):
        return data
    data = {**data, "systems": [dict(s) if isinstance(s, dict) else s for s in data["systems"]]}
    for i, system in enumerate(data["systems"]):
        if isinstance(system, dict):
            _system_location(system, ("systems", i), loaded, path)
    return data


# A key that no longer exists, met where it cannot be read as its new name: what to write instead.
RENAMED_KEYS = {
    "location": "location は place（設置・保管場所）と terms（契約の形態）に分かれました。"
                "place と一緒に書いた場合や、旧い値でない場合は、place・terms で書いてください。",
}
