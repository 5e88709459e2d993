#!/usr/bin/env python3
"""Generate data/actors/states.ttl: the 193 UN member states and the 2 non-member observer states.

Python 3 standard library only. Deterministic: states are written sorted by ISO 3166-1 alpha-3.

Inputs
- ISO 3166-1 codes and English short names: /usr/share/iso-codes/json/iso_3166-1.json
  (Debian iso-codes package, https://salsa.debian.org/iso-codes-team/iso-codes), cited as src:iso-3166-1.
  Label = "common_name" if present, else "name".
- The list of the 193 UN member states below (UN_MEMBERS) is copied verbatim (names as spelt there)
  from the public listing "List of Member states of the United Nations with National Flag",
  https://github.com/ohwada/World_Countries/blob/02b76a4a6e6b8327518d6f50edde3fc2c9470b73/un_member_states_flag/json/un_members_flag.json
  (which states it reproduces Wikipedia "Member states of the United Nations"; it lists exactly 193),
  read by the states curator on 2026-11-26; cited as src:un-member-states.
- The two non-member observer states (Holy See, State of Palestine) are named in
  http://piglix.com/piglix/Member_states_of_the_United_Nations ("non-member states (currently two: the
  Holy See and Palestine)"), cited as src:un-observer-states.

Usage (from the repository root): python3 scripts/gen_states.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "actors", "states.ttl")

# 193 UN member states, as spelt in the source listing (see module docstring).
UN_MEMBERS = [
    'Afghanistan', 'Albania', 'Algeria', 'Andorra', 'Angola', 'Antigua and Barbuda', 'Argentina',
    'Armenia', 'Australia', 'Austria', 'Azerbaijan', 'Bahamas', 'Bahrain', 'Bangladesh',
    'Barbados', 'Belarus', 'Belgium', 'Belize', 'Benin', 'Bhutan', 'Bolivia',
    'Bosnia and Herzegovina', 'Botswana', 'Brazil', 'Brunei', 'Bulgaria', 'Burkina Faso',
    'Burundi', 'Cambodia', 'Cameroon', 'Canada', 'Cape Verde', 'Central African Republic', 'Chad',
    'Chile', 'China', 'Colombia', 'Comoros', 'Congo', 'Democratic Republic of the Congo',
    'Costa Rica', 'Croatia', 'Cuba', 'Cyprus', 'Czechia', "Côte d'Ivoire", 'Denmark', 'Djibouti',
    'Dominica', 'Dominican Republic', 'East Timor', 'Ecuador', 'Egypt', 'El Salvador',
    'Equatorial Guinea', 'Eritrea', 'Estonia', 'Eswatini', 'Ethiopia', 'Fiji', 'Finland', 'France',
    'Gabon', 'Gambia', 'Georgia', 'Germany', 'Ghana', 'Greece', 'Grenada', 'Guatemala', 'Guinea',
    'Guinea-Bissau', 'Guyana', 'Haiti', 'Honduras', 'Hungary', 'Iceland', 'India', 'Indonesia',
    'Iran', 'Iraq', 'Ireland', 'Israel', 'Italy', 'Jamaica', 'Japan', 'Jordan', 'Kazakhstan',
    'Kenya', 'Kiribati', 'Kuwait', 'Kyrgyzstan', 'Laos', 'Latvia', 'Lebanon', 'Lesotho', 'Liberia',
    'Libya', 'Liechtenstein', 'Lithuania', 'Luxembourg', 'Madagascar', 'Malawi', 'Malaysia',
    'Maldives', 'Mali', 'Malta', 'Marshall Islands', 'Mauritania', 'Mauritius', 'Mexico',
    'Micronesia', 'Moldova', 'Monaco', 'Mongolia', 'Montenegro', 'Morocco', 'Mozambique',
    'Myanmar', 'Namibia', 'Nauru', 'Nepal', 'Netherlands', 'New Zealand', 'Nicaragua', 'Niger',
    'Nigeria', 'North Korea', 'North Macedonia', 'Norway', 'Oman', 'Pakistan', 'Palau', 'Panama',
    'Papua New Guinea', 'Paraguay', 'Peru', 'Philippines', 'Poland', 'Portugal', 'Qatar',
    'Romania', 'Russia', 'Rwanda', 'Saint Kitts and Nevis', 'Saint Lucia',
    'Saint Vincent and the Grenadines', 'Samoa', 'San Marino', 'Saudi Arabia', 'Senegal', 'Serbia',
    'Seychelles', 'Sierra Leone', 'Singapore', 'Slovakia', 'Slovenia', 'Solomon Islands',
    'Somalia', 'South Africa', 'South Korea', 'South Sudan', 'Spain', 'Sri Lanka', 'Sudan',
    'Suriname', 'Sweden', 'Switzerland', 'Syria', 'São Tomé and Príncipe', 'Tajikistan',
    'Tanzania', 'Thailand', 'Togo', 'Tonga', 'Trinidad and Tobago', 'Tunisia', 'Turkey',
    'Turkmenistan', 'Tuvalu', 'Uganda', 'Ukraine', 'UAE', 'UK', 'USA', 'Uruguay', 'Uzbekistan',
    'Vanuatu', 'Venezuela', 'Vietnam', 'Yemen', 'Zambia', 'Zimbabwe',
]

# Names in the listing that are not an ISO 3166-1 name/common_name/official_name: explicit alpha-3.
NAME_TO_ALPHA3 = {
    "Brunei": "BRN",
    "Cape Verde": "CPV",
    "Democratic Republic of the Congo": "COD",
    "East Timor": "TLS",
    "Micronesia": "FSM",
    "Russia": "RUS",
    "São Tomé and Príncipe": "STP",
    "Turkey": "TUR",
    "UAE": "ARE",
    "UK": "GBR",
    "USA": "USA",
}

# Non-member observer states (alpha-3).
OBSERVERS = ["VAT", "PSE"]

PREFIXES = ttl.prefixes("ng", "prov", "rdfs", "src", "state", "unstatus")


def main():
    with open(ISO_JSON, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    by_a3 = {e["alpha_3"]: e for e in iso}
    index = {}
    for e in iso:
        for k in ("name", "common_name", "official_name"):
            if k in e:
                index.setdefault(e[k].lower(), e["alpha_3"])

    assert len(UN_MEMBERS) == 193, len(UN_MEMBERS)
    assert len(set(UN_MEMBERS)) == 193, "duplicate names"
    members = {}
    for n in UN_MEMBERS:
        a3 = NAME_TO_ALPHA3.get(n) or index.get(n.lower())
        if a3 is None:
            sys.exit("no ISO 3166-1 entry for UN member %r" % n)
        assert a3 not in members, "two names map to %s" % a3
        members[a3] = n
    assert len(members) == 193
    assert not set(OBSERVERS) & set(members)
    rows = [(a3, "member") for a3 in members] + [(a3, "observer") for a3 in OBSERVERS]
    rows.sort()
    assert sum(1 for _, s in rows if s == "member") == 193
    assert sum(1 for _, s in rows if s == "observer") == 2

    out = [
        "# GENERATED by scripts/gen_states.py -- do not edit by hand.",
        "# 193 UN member states + 2 non-member observer states; codes and labels from ISO 3166-1 (Debian iso-codes).",
        "",
        PREFIXES,
    ]
    for a3, status in rows:
        e = by_a3[a3]
        label = e.get("common_name", e["name"])
        srcs = "src:iso-3166-1, src:un-member-states"
        if status == "observer":
            srcs += ", src:un-observer-states"
        out.append(
            'state:%s a ng:State ; rdfs:label %s@en ; ng:isoAlpha2 "%s" ; ng:isoAlpha3 "%s" ;\n'
            "    ng:unStatus unstatus:%s ; prov:hadPrimarySource %s .\n"
            % (a3, ttl.lit(label, newlines="keep"), e["alpha_2"], a3, status, srcs)
        )
    ttl.write_text(OUT, "\n".join(out))
    print("wrote %d states (%d members, %d observers) to %s" % (len(rows), 193, 2, os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
