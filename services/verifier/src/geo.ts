import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';

export type CountryOf = (ip: string | null) => string | null;

// The CC0 database has `country_code`; MaxMind's own GeoLite2/GeoIP2 have `country.iso_code`.
type CountryRecord = { country_code?: string; country?: { iso_code?: string } };

/** Addresses whose country is remembered; past this many the memory starts over. */
const MAX_REMEMBERED = 10_000;

/** Country lookup from a MaxMind-format database: GEOIP_DB, else the CC0 one shipped in npm. */
export async function openGeo(path: string | undefined): Promise<CountryOf> {
  const file =
    path ??
    createRequire(import.meta.url).resolve(
      '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb',
    );
  const reader: Reader<Response> = await maxmind.open(file, { watchForUpdates: false });
  // Clients come back: an address's country is remembered rather than looked up per request.
  const remembered = new Map<string, string | null>();
  return (ip) => {
    if (!ip) return null;
    let country = remembered.get(ip);
    if (country === undefined) {
      const record = reader.get(ip) as CountryRecord | null;
      country = record?.country_code ?? record?.country?.iso_code ?? null;
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(ip, country);
    }
    return country;
  };
}
