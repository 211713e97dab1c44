/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — jurisdiction codes (see include/flopgate/jurisdiction.h).
 *
 * The lists are embedded rather than read from a file: they change
 * rarely, and a checker whose idea of a valid code depends on a data file
 * next to the binary would accept different input on different machines.
 */
#include "flopgate/jurisdiction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flopgate/suggest.h"

typedef struct code_name {
	const char *code;
	const char *name;
} code_name;

/* ISO 3166-1 alpha-2, the 249 officially assigned codes (ISO 3166
 * Maintenance Agency), sorted by code.  Reserved codes (UK, EL, XK, ...)
 * are not in it; EL is accepted separately below. */
static const code_name countries[] = {
	{"AD", "Andorra"},
	{"AE", "United Arab Emirates"},
	{"AF", "Afghanistan"},
	{"AG", "Antigua and Barbuda"},
	{"AI", "Anguilla"},
	{"AL", "Albania"},
	{"AM", "Armenia"},
	{"AO", "Angola"},
	{"AQ", "Antarctica"},
	{"AR", "Argentina"},
	{"AS", "American Samoa"},
	{"AT", "Austria"},
	{"AU", "Australia"},
	{"AW", "Aruba"},
	{"AX", "Åland Islands"},
	{"AZ", "Azerbaijan"},
	{"BA", "Bosnia and Herzegovina"},
	{"BB", "Barbados"},
	{"BD", "Bangladesh"},
	{"BE", "Belgium"},
	{"BF", "Burkina Faso"},
	{"BG", "Bulgaria"},
	{"BH", "Bahrain"},
	{"BI", "Burundi"},
	{"BJ", "Benin"},
	{"BL", "Saint Barthélemy"},
	{"BM", "Bermuda"},
	{"BN", "Brunei Darussalam"},
	{"BO", "Bolivia"},
	{"BQ", "Bonaire, Sint Eustatius and Saba"},
	{"BR", "Brazil"},
	{"BS", "Bahamas"},
	{"BT", "Bhutan"},
	{"BV", "Bouvet Island"},
	{"BW", "Botswana"},
	{"BY", "Belarus"},
	{"BZ", "Belize"},
	{"CA", "Canada"},
	{"CC", "Cocos (Keeling) Islands"},
	{"CD", "Congo, Democratic Republic of the"},
	{"CF", "Central African Republic"},
	{"CG", "Congo"},
	{"CH", "Switzerland"},
	{"CI", "Côte d'Ivoire"},
	{"CK", "Cook Islands"},
	{"CL", "Chile"},
	{"CM", "Cameroon"},
	{"CN", "China"},
	{"CO", "Colombia"},
	{"CR", "Costa Rica"},
	{"CU", "Cuba"},
	{"CV", "Cabo Verde"},
	{"CW", "Curaçao"},
	{"CX", "Christmas Island"},
	{"CY", "Cyprus"},
	{"CZ", "Czechia"},
	{"DE", "Germany"},
	{"DJ", "Djibouti"},
	{"DK", "Denmark"},
	{"DM", "Dominica"},
	{"DO", "Dominican Republic"},
	{"DZ", "Algeria"},
	{"EC", "Ecuador"},
	{"EE", "Estonia"},
	{"EG", "Egypt"},
	{"EH", "Western Sahara"},
	{"ER", "Eritrea"},
	{"ES", "Spain"},
	{"ET", "Ethiopia"},
	{"FI", "Finland"},
	{"FJ", "Fiji"},
	{"FK", "Falkland Islands (Malvinas)"},
	{"FM", "Micronesia"},
	{"FO", "Faroe Islands"},
	{"FR", "France"},
	{"GA", "Gabon"},
	{"GB", "United Kingdom"},
	{"GD", "Grenada"},
	{"GE", "Georgia"},
	{"GF", "French Guiana"},
	{"GG", "Guernsey"},
	{"GH", "Ghana"},
	{"GI", "Gibraltar"},
	{"GL", "Greenland"},
	{"GM", "Gambia"},
	{"GN", "Guinea"},
	{"GP", "Guadeloupe"},
	{"GQ", "Equatorial Guinea"},
	{"GR", "Greece"},
	{"GS", "South Georgia and the South Sandwich Islands"},
	{"GT", "Guatemala"},
	{"GU", "Guam"},
	{"GW", "Guinea-Bissau"},
	{"GY", "Guyana"},
	{"HK", "Hong Kong"},
	{"HM", "Heard Island and McDonald Islands"},
	{"HN", "Honduras"},
	{"HR", "Croatia"},
	{"HT", "Haiti"},
	{"HU", "Hungary"},
	{"ID", "Indonesia"},
	{"IE", "Ireland"},
	{"IL", "Israel"},
	{"IM", "Isle of Man"},
	{"IN", "India"},
	{"IO", "British Indian Ocean Territory"},
	{"IQ", "Iraq"},
	{"IR", "Iran"},
	{"IS", "Iceland"},
	{"IT", "Italy"},
	{"JE", "Jersey"},
	{"JM", "Jamaica"},
	{"JO", "Jordan"},
	{"JP", "Japan"},
	{"KE", "Kenya"},
	{"KG", "Kyrgyzstan"},
	{"KH", "Cambodia"},
	{"KI", "Kiribati"},
	{"KM", "Comoros"},
	{"KN", "Saint Kitts and Nevis"},
	{"KP", "Korea, Democratic People's Republic of"},
	{"KR", "Korea, Republic of"},
	{"KW", "Kuwait"},
	{"KY", "Cayman Islands"},
	{"KZ", "Kazakhstan"},
	{"LA", "Lao People's Democratic Republic"},
	{"LB", "Lebanon"},
	{"LC", "Saint Lucia"},
	{"LI", "Liechtenstein"},
	{"LK", "Sri Lanka"},
	{"LR", "Liberia"},
	{"LS", "Lesotho"},
	{"LT", "Lithuania"},
	{"LU", "Luxembourg"},
	{"LV", "Latvia"},
	{"LY", "Libya"},
	{"MA", "Morocco"},
	{"MC", "Monaco"},
	{"MD", "Moldova"},
	{"ME", "Montenegro"},
	{"MF", "Saint Martin (French part)"},
	{"MG", "Madagascar"},
	{"MH", "Marshall Islands"},
	{"MK", "North Macedonia"},
	{"ML", "Mali"},
	{"MM", "Myanmar"},
	{"MN", "Mongolia"},
	{"MO", "Macao"},
	{"MP", "Northern Mariana Islands"},
	{"MQ", "Martinique"},
	{"MR", "Mauritania"},
	{"MS", "Montserrat"},
	{"MT", "Malta"},
	{"MU", "Mauritius"},
	{"MV", "Maldives"},
	{"MW", "Malawi"},
	{"MX", "Mexico"},
	{"MY", "Malaysia"},
	{"MZ", "Mozambique"},
	{"NA", "Namibia"},
	{"NC", "New Caledonia"},
	{"NE", "Niger"},
	{"NF", "Norfolk Island"},
	{"NG", "Nigeria"},
	{"NI", "Nicaragua"},
	{"NL", "Netherlands"},
	{"NO", "Norway"},
	{"NP", "Nepal"},
	{"NR", "Nauru"},
	{"NU", "Niue"},
	{"NZ", "New Zealand"},
	{"OM", "Oman"},
	{"PA", "Panama"},
	{"PE", "Peru"},
	{"PF", "French Polynesia"},
	{"PG", "Papua New Guinea"},
	{"PH", "Philippines"},
	{"PK", "Pakistan"},
	{"PL", "Poland"},
	{"PM", "Saint Pierre and Miquelon"},
	{"PN", "Pitcairn"},
	{"PR", "Puerto Rico"},
	{"PS", "Palestine, State of"},
	{"PT", "Portugal"},
	{"PW", "Palau"},
	{"PY", "Paraguay"},
	{"QA", "Qatar"},
	{"RE", "Réunion"},
	{"RO", "Romania"},
	{"RS", "Serbia"},
	{"RU", "Russian Federation"},
	{"RW", "Rwanda"},
	{"SA", "Saudi Arabia"},
	{"SB", "Solomon Islands"},
	{"SC", "Seychelles"},
	{"SD", "Sudan"},
	{"SE", "Sweden"},
	{"SG", "Singapore"},
	{"SH", "Saint Helena, Ascension and Tristan da Cunha"},
	{"SI", "Slovenia"},
	{"SJ", "Svalbard and Jan Mayen"},
	{"SK", "Slovakia"},
	{"SL", "Sierra Leone"},
	{"SM", "San Marino"},
	{"SN", "Senegal"},
	{"SO", "Somalia"},
	{"SR", "Suriname"},
	{"SS", "South Sudan"},
	{"ST", "Sao Tome and Principe"},
	{"SV", "El Salvador"},
	{"SX", "Sint Maarten (Dutch part)"},
	{"SY", "Syrian Arab Republic"},
	{"SZ", "Eswatini"},
	{"TC", "Turks and Caicos Islands"},
	{"TD", "Chad"},
	{"TF", "French Southern Territories"},
	{"TG", "Togo"},
	{"TH", "Thailand"},
	{"TJ", "Tajikistan"},
	{"TK", "Tokelau"},
	{"TL", "Timor-Leste"},
	{"TM", "Turkmenistan"},
	{"TN", "Tunisia"},
	{"TO", "Tonga"},
	{"TR", "Türkiye"},
	{"TT", "Trinidad and Tobago"},
	{"TV", "Tuvalu"},
	{"TW", "Taiwan"},
	{"TZ", "Tanzania"},
	{"UA", "Ukraine"},
	{"UG", "Uganda"},
	{"UM", "United States Minor Outlying Islands"},
	{"US", "United States"},
	{"UY", "Uruguay"},
	{"UZ", "Uzbekistan"},
	{"VA", "Holy See"},
	{"VC", "Saint Vincent and the Grenadines"},
	{"VE", "Venezuela"},
	{"VG", "Virgin Islands (British)"},
	{"VI", "Virgin Islands (U.S.)"},
	{"VN", "Viet Nam"},
	{"VU", "Vanuatu"},
	{"WF", "Wallis and Futuna"},
	{"WS", "Samoa"},
	{"YE", "Yemen"},
	{"YT", "Mayotte"},
	{"ZA", "South Africa"},
	{"ZM", "Zambia"},
	{"ZW", "Zimbabwe"},
};

/* ISO 3166-2:US: the 50 states, the District of Columbia and the six
 * outlying areas, sorted by code. */
static const code_name us_subdivisions[] = {
	{"US-AK", "Alaska"}, {"US-AL", "Alabama"}, {"US-AR", "Arkansas"},
	{"US-AS", "American Samoa"}, {"US-AZ", "Arizona"},
	{"US-CA", "California"}, {"US-CO", "Colorado"},
	{"US-CT", "Connecticut"}, {"US-DC", "District of Columbia"},
	{"US-DE", "Delaware"}, {"US-FL", "Florida"}, {"US-GA", "Georgia"},
	{"US-GU", "Guam"}, {"US-HI", "Hawaii"}, {"US-IA", "Iowa"},
	{"US-ID", "Idaho"}, {"US-IL", "Illinois"}, {"US-IN", "Indiana"},
	{"US-KS", "Kansas"}, {"US-KY", "Kentucky"}, {"US-LA", "Louisiana"},
	{"US-MA", "Massachusetts"}, {"US-MD", "Maryland"},
	{"US-ME", "Maine"}, {"US-MI", "Michigan"}, {"US-MN", "Minnesota"},
	{"US-MO", "Missouri"}, {"US-MP", "Northern Mariana Islands"},
	{"US-MS", "Mississippi"}, {"US-MT", "Montana"},
	{"US-NC", "North Carolina"}, {"US-ND", "North Dakota"},
	{"US-NE", "Nebraska"}, {"US-NH", "New Hampshire"},
	{"US-NJ", "New Jersey"}, {"US-NM", "New Mexico"},
	{"US-NV", "Nevada"}, {"US-NY", "New York"}, {"US-OH", "Ohio"},
	{"US-OK", "Oklahoma"}, {"US-OR", "Oregon"},
	{"US-PA", "Pennsylvania"}, {"US-PR", "Puerto Rico"},
	{"US-RI", "Rhode Island"}, {"US-SC", "South Carolina"},
	{"US-SD", "South Dakota"}, {"US-TN", "Tennessee"},
	{"US-TX", "Texas"},
	{"US-UM", "United States Minor Outlying Islands"}, {"US-UT", "Utah"},
	{"US-VA", "Virginia"}, {"US-VI", "Virgin Islands (U.S.)"},
	{"US-VT", "Vermont"}, {"US-WA", "Washington"},
	{"US-WI", "Wisconsin"}, {"US-WV", "West Virginia"},
	{"US-WY", "Wyoming"}
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The 27 member states.  EL is the code the Union's own style guide uses
 * for Greece (ISO 3166 reserves it for that use); GR is ISO's. */
static const char *const eu_members[] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI",
	"FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL",
	"PL", "PT", "RO", "SE", "SI", "SK", NULL
};

static int compare_code(const void *key, const void *entry)
{
	return strcmp(key, ((const code_name *)entry)->code);
}

static const code_name *find(const code_name *list, size_t n,
			     const char *code)
{
	return bsearch(code, list, n, sizeof(*list), compare_code);
}

static const char *lookup_name(const char *code)
{
	const code_name *c;

	if (!code)
		return NULL;
	if (!strcmp(code, "EU"))
		return "European Union";
	if (!strcmp(code, "EL"))
		return "Greece";
	if (!strncmp(code, "US-", 3)) {
		c = find(us_subdivisions, COUNT(us_subdivisions), code);
		return c ? c->name : NULL;
	}
	c = find(countries, COUNT(countries), code);
	return c ? c->name : NULL;
}

int fg_jurisdiction_valid(const char *code)
{
	return lookup_name(code) != NULL;
}

const char *fg_jurisdiction_name(const char *code)
{
	return lookup_name(code);
}

int fg_jurisdiction_eu_member(const char *code)
{
	size_t i;

	/* every member is two letters: most codes are told apart by their
	 * length, the rest by two bytes */
	if (!code || !code[0] || !code[1] || code[2])
		return 0;
	for (i = 0; eu_members[i]; i++)
		if (code[0] == eu_members[i][0] && code[1] == eu_members[i][1])
			return 1;
	return 0;
}

/* GR and EL name one country. */
static int same_country(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 1;
	return (!strcmp(a, "GR") && !strcmp(b, "EL")) ||
	       (!strcmp(a, "EL") && !strcmp(b, "GR"));
}

/* "US" and "US-CA" are in one country; so are "EU" and a member state,
 * for coverage purposes. */
static int contains(const char *whole, const char *part)
{
	if (!strcmp(whole, "US") && !strncmp(part, "US-", 3))
		return 1;
	return !strcmp(whole, "EU") && fg_jurisdiction_eu_member(part);
}

int fg_jurisdiction_covers(const char *rule_code, const char *run_code)
{
	if (!rule_code || !run_code)
		return 0;
	return same_country(rule_code, run_code) ||
	       contains(rule_code, run_code) || contains(run_code, rule_code);
}

/* What people write for a code instead of the code (compared as
 * fg_suggest compares, case and separators aside). */
static const code_name common_names[] = {
	{"GB", "UK"}, {"GB", "Britain"}, {"GB", "Great Britain"},
	{"GB", "England"}, {"GB", "Scotland"}, {"GB", "Wales"},
	{"GB", "Northern Ireland"}, {"US", "USA"}, {"US", "America"},
	{"US", "United States of America"}, {"EU", "Europe"},
	{"KR", "South Korea"}, {"KP", "North Korea"}, {"RU", "Russia"},
	{"NL", "Holland"}, {"CZ", "Czech Republic"}, {"VN", "Vietnam"},
	{"AE", "UAE"}, {"TR", "Turkey"}, {"CI", "Ivory Coast"},
};

size_t fg_jurisdiction_suggestions(const char **out, size_t max,
				   const char *code)
{
	enum { ALL = 1 + COUNT(countries) + COUNT(us_subdivisions) +
		     COUNT(common_names) };
	const char *all[ALL + 1], *names[ALL + 1];
	size_t i, n = 0;

	if (!code)
		return 0;
	/* A state written without its country ("NY"); a two-letter code
	 * that is also a country ("CA", Canada) is valid and never gets
	 * here. */
	for (i = 0; strlen(code) == 2 && i < COUNT(us_subdivisions); i++)
		if (!strcasecmp(us_subdivisions[i].code + 3, code)) {
			if (max)
				out[0] = us_subdivisions[i].code;
			return 1;
		}
	/* Another two letters are another country, not a typo of one:
	 * nothing but a common name ("UK") is suggested for them. */
	for (i = 0; strlen(code) <= 2 && i < COUNT(common_names); i++)
		if (!strcasecmp(common_names[i].name, code)) {
			if (max)
				out[0] = common_names[i].code;
			return 1;
		}
	if (strlen(code) <= 2)
		return 0;
	for (i = 0; i < COUNT(common_names); i++) {
		all[n] = common_names[i].code;
		names[n++] = common_names[i].name;
	}
	all[n] = "EU";
	names[n++] = "European Union";
	for (i = 0; i < COUNT(countries); i++) {
		all[n] = countries[i].code;
		names[n++] = countries[i].name;
	}
	for (i = 0; i < COUNT(us_subdivisions); i++) {
		all[n] = us_subdivisions[i].code;
		names[n++] = us_subdivisions[i].name;
	}
	all[n] = names[n] = NULL;
	return fg_suggest(out, max, code, all, names);
}

const char *fg_jurisdiction_suggest(const char *code,
				    const char *const *candidates)
{
	const char *near = NULL;

	if (fg_jurisdiction_suggestions(&near, 1, code))
		return near;
	return candidates && code ? fg_nearest(code, candidates) : NULL;
}
