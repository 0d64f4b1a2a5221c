#!/usr/bin/env python3
"""Writes a synthetic households CSV for the import benchmark (BENCHMARKS.md): N person rows,
families of 1-6 persons (about 3.5 on average) sharing a No. KK and a location, clustered like
villages: N/300 village centres in a 60 x 60 km box around Bantul (lon 110.36, lat -7.90) with
~300 m scatter; category 24 (fakir miskin) for 55 % of persons. NIKs and No. KKs are valid
(Bantul kecamatan codes 34.02.01-17, real dates, +40 for women, serial not 0000) and unique.

Usage: gen-households.py N OUT.csv [SEED]
"""
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

LON0, LAT0 = 110.36, -7.90
HALF_LON, HALF_LAT = 0.272, 0.271   # ~30 km each way at this latitude
SCATTER = 0.0027                     # ~300 m
villages = [(LON0 + rng.uniform(-HALF_LON, HALF_LON), LAT0 + rng.uniform(-HALF_LAT, HALF_LAT),
             "34.02.%02d.%d%03d" % (k % 17 + 1, 2, k % 999 + 1))
            for k in range(max(1, n // 300))]
first = ["Budi", "Siti", "Agus", "Sri", "Joko", "Dewi", "Slamet", "Wahyuni", "Bambang", "Rina",
         "Heru", "Yuli", "Eko", "Endang", "Dwi", "Tri", "Rahmat", "Nur", "Suparman", "Lestari"]
last = ["Santoso", "Wibowo", "Lestari", "Purnomo", "Susanti", "Hidayat", "Rahayu", "Saputra",
        "Handayani", "Setiawan", "Kurniawan", "Wulandari"]
others = ["8", "9", "2", "23", "5", "24|9", "24|8", "11", "13", "25"]
relations = ["Kepala Keluarga", "Istri", "Anak", "Anak", "Anak", "Orang Tua"]

used_nik = set()
written = 0
kk_serial = 0
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("nik,no_kk,nama,jenis_kelamin,tanggal_lahir,alamat,rt,rw,kode_desa,kategori,lat,lon\n")
    while written < n:
        vlon, vlat, desa = rng.choice(villages)
        lon = vlon + rng.gauss(0, SCATTER)
        lat = vlat + rng.gauss(0, SCATTER)
        region = desa[:8].replace(".", "")
        kk_serial += 1
        kk = "%s%010d" % (region, kk_serial)  # unique: region + a 10-digit counter
        size = min(6, max(1, int(rng.gauss(3.5, 1.3) + 0.5)))
        rt, rw = "%03d" % rng.randint(1, 12), "%03d" % rng.randint(1, 6)
        address = "Dusun %s %d" % (rng.choice(last), rng.randint(1, 20))
        for m in range(size):
            if written >= n:
                break
            sex = "L" if (m == 0 or rng.random() < 0.5) else "P"
            y, mo, d = rng.randint(1935, 2023), rng.randint(1, 12), rng.randint(1, 28)
            while True:
                nik = "%s%02d%02d%02d%04d" % (region, d + (40 if sex == "P" else 0), mo, y % 100,
                                              rng.randint(1, 9999))
                if nik not in used_nik:
                    used_nik.add(nik)
                    break
            cat = "24" if rng.random() < 0.55 else (rng.choice(others) if rng.random() < 0.6 else "")
            f.write("%s,%s,%s %s,%s,%02d/%02d/%04d,%s,%s,%s,%s,%s,%.6f,%.6f\n" % (
                nik, kk, rng.choice(first), rng.choice(last), sex, d, mo, y, address, rt, rw, desa,
                cat, lat, lon))
            written += 1
