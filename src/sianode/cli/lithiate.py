"""``sianode lithiate HOST``: the 0 V lithiation reaction, K_crit and stop modulus."""

from __future__ import annotations

import argparse

from sianode.cli._sources import add_source_argument, check_source, host_elements, load_table_for

COMMAND = "lithiate"
EXAMPLES = """\
examples:
  sianode lithiate Si
  sianode lithiate Mg2Si --source entries.json.gz --json
"""
HELP = "lithiation of a host at 0 V vs Li: products, n, voltage, capacity, strain, K_crit, K_stop"

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("host", help="host formula (lowest-energy polymorph) or entry id")
    add_source_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    elements = host_elements(args.host)  # a typo like Xx is refused here, before any data
    check_source(args.source)
    from sianode.cli._common import print_json
    from sianode.thermo import LithiationEngine

    res = LithiationEngine(load_table_for(args, elements)).lithiate(args.host)
    if args.json:
        print_json(res.as_dict())
        return 0
    if not res.reacts:
        print(f"{res.host} ({res.host_id}) does not react with Li at 0 V: capacity 0")
        return 0
    prods = " + ".join(f"{a:.4g} {f}" for f, a in res.products.items())
    print(f"{res.host} + {res.li_per_formula_unit:.4g} Li -> {prods}")
    print(f"  Li per host atom   {res.li_per_host_atom:.4g}")
    print(f"  voltage            {res.voltage_V:.4f} V")
    print(f"  capacity           {res.capacity_mAh_g:.1f} mAh/g (host)")
    print(f"  reaction strain    {res.reaction_strain:.4f}")
    kc = "n/a" if res.k_crit_GPa is None else f"{res.k_crit_GPa:.3f} GPa"
    ks = "not stoppable" if res.k_stop_GPa is None else f"{res.k_stop_GPa:.3f} GPa"
    print(f"  K_crit (0 V rxn)   {kc}")
    print(f"  stop modulus       {ks}")
    for s in res.steps:
        print(f"    {s.voltage_V:7.4f} V  {s.capacity_start_mAh_g:8.1f} -> "
              f"{s.capacity_end_mAh_g:8.1f} mAh/g  {'+'.join(s.products)}")
    return 0
