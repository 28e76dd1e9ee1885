"""The 16 Länder by their official key (the first two digits of every AGS/ARS).

One home for the names: the register, the data pool's GENESIS readers and the statistics
readers all use this mapping.
"""

from __future__ import annotations

from types import MappingProxyType

#: Land key (``"01"`` … ``"16"``) → official name, in key order.
LAND_NAMES = MappingProxyType(
    {
        "01": "Schleswig-Holstein",
        "02": "Hamburg",
        "03": "Niedersachsen",
        "04": "Bremen",
        "05": "Nordrhein-Westfalen",
        "06": "Hessen",
        "07": "Rheinland-Pfalz",
        "08": "Baden-Württemberg",
        "09": "Bayern",
        "10": "Saarland",
        "11": "Berlin",
        "12": "Brandenburg",
        "13": "Mecklenburg-Vorpommern",
        "14": "Sachsen",
        "15": "Sachsen-Anhalt",
        "16": "Thüringen",
    }
)
