"""Every sentence of the policy brief, in Bahasa Indonesia and English (filled with the
numbers by :mod:`.facts` and :mod:`.brief`).

Examples
--------
>>> from migration_ntt.report.text import TEXT
>>> TEXT["en"]["title"].format(count="PMI deaths abroad")
'PMI deaths abroad: where in NTT'
"""

from __future__ import annotations

TEXT: dict[str, dict[str, object]] = {
    "id": {
        "title": "{count}: dari mana di NTT",
        "subtitle": "Ringkasan kebijakan untuk BP3MI NTT, Pemerintah Provinsi dan mitra",
        "synthetic": "DATA SINTETIS: orang-orang dalam data ini tidak nyata. Hanya untuk "
        "demonstrasi; jangan dikutip.",
        "sample": {
            "published": "Data: {reports} laporan BP3MI/BP2MI NTT tentang {count_lower}, "
            "{years}, untuk 22 kabupaten/kota (21 kabupaten dan Kota Kupang).",
            "records": "Data: {counted} catatan kasus ({source}), {years}, untuk 22 "
            "kabupaten/kota (21 kabupaten dan Kota Kupang).",
        },
        "sample_model": " Model faktor memakai {model_n} kabupaten-tahun ({model_years}) yang "
        "semua faktornya diketahui.",
        "key_findings": "Ringkasnya",
        "finding_where": "{count} per penduduk tertinggi di {names}. {k} dari 22 kabupaten/"
        "kota ini mencakup {share} dari {total} {unit} yang disebut per kabupaten/kota.",
        "finding_split": "Hampir semua nonprosedural: {items}.",
        "split_item": "{nonprocedural} dari {total} pada {year}",
        "finding_volume": "Angka per penduduk mencampur berapa banyak orang yang berangkat "
        "dengan seberapa berisiko cara berangkatnya. Penempatan prosedural terbanyak (per "
        "penduduk, 2013) dari {legal}; pemulangan PMI bermasalah (Jan–Jun 2024) terbanyak "
        "dari {returnees}. Angka kematian yang rendah bisa berarti warga berangkat lewat "
        "jalur prosedural, bukan bahwa lebih sedikit yang berangkat.",
        "finding_cluster_none": "Kabupaten/kota yang bertetangga tidak lebih mirip "
        "angkanya daripada kebetulan: tidak ada klaster yang signifikan (Moran I = {i}, "
        "{p}).",
        "finding_cluster": "Klaster yang signifikan: {names}.",
        "finding_factor": "Di antara faktor sosial-ekonomi, pola paling jelas: {term}. "
        "Bila lebih tinggi satu simpangan baku, {unit} per penduduk {times} kali ({low}–"
        "{high}; {p}).",
        "factor_fewer": " Lebih sedikit kematian per penduduk di tempat yang lebih miskin "
        "atau kurang bersekolah kemungkinan mencerminkan siapa yang berangkat dan lewat "
        "jalur mana, bukan perlindungan.",
        "finding_programme_model": "{programme} berjalan bersama {unit} yang {direction} "
        "(×{irr}) dalam model faktor: program tidak ditempatkan secara acak, jadi ini "
        "menunjukkan di mana program berada, bukan apa hasilnya. Evaluasi sebelum–"
        "sesudah di bawah adalah uji yang lebih baik.",
        "finding_evaluation_none": "Evaluasi sebelum–sesudah: belum ada program yang "
        "perubahannya dapat dibedakan dari kebetulan ({names}).",
        "finding_evaluation": "Evaluasi sebelum–sesudah: {items}.",
        "more": "lebih banyak",
        "fewer": "lebih sedikit",
        "prevention_heading": "Apa artinya bagi pencegahan",
        "prevention_focus": "{names} menanggung {share} dari {unit} yang disebut per "
        "kabupaten/kota: langkah yang ditempatkan di sana menjangkau bagian risiko yang "
        "terbesar.",
        "prevention_route": "{share} kematian adalah pekerja nonprosedural ({year}): "
        "perlindungan yang hanya menjangkau penempatan prosedural menyentuh paling banyak "
        "{rest} kematian. Yang menentukan adalah sebelum dan saat berangkat: desa, gereja, "
        "pelabuhan dan bandara.",
        "prevention_gaps": "Kabupaten/kota di sepertiga teratas angka yang dihaluskan tanpa "
        "{programme}: {names}.",
        "prevention_evidence": "Efek program belum dapat diukur dengan data ini. Daftar "
        "kematian per kabupaten/kota yang lengkap setiap tahun, dan tanggal mulai setiap "
        "program (templat: migration-ntt init), akan membuat evaluasi berikutnya lebih "
        "tegas.",
        "rates_heading": "Kabupaten/kota dengan angka tertinggi",
        "rates_intro": {
            "published": "{count} per 100.000 penduduk-tahun, {years}. Laporan tiap tahun "
            "dibaca sebagai lengkap (kabupaten yang tidak disebut: nol), daftar N teratas "
            "(tidak disebut: di bawah angka terkecil yang disebut) atau sebagian (tidak "
            "disebut: tidak diketahui); lihat Metode.",
            "records": "{count} per 100.000 penduduk-tahun, {years}, dari catatan kasus "
            "({source}); kabupaten tanpa catatan dihitung nol.",
        },
        "censored_note": "* ditaksir dengan kemungkinan Poisson tersensor (tahun saat "
        "kabupaten berada di bawah daftar N teratas).",
        "suppression": 'Jumlah 1–4 ditampilkan sebagai "<5"; "x": disembunyikan agar total '
        "tidak membuka angka kecil.",
        "factors_heading": "Apa yang berjalan bersama {unit} yang lebih banyak",
        "factors_intro": "Berapa kali {unit} per penduduk bila faktor lebih tinggi satu "
        "simpangan baku (program: ada vs tidak). Di bawah 1: lebih sedikit; di atas 1: "
        "lebih banyak. Model gabungan dengan efek tahun, {model_n} kabupaten-tahun.",
        "methods_heading": "Metode",
        "methods": [
            "Penduduk-tahun = penduduk × bagian tahun yang dicakup data.",
            "Angka dihaluskan dengan Empirical Bayes (global dan spasial); kabupaten pulau "
            "tanpa tetangga memakai Empirical Bayes global.",
            "Bobot spasial: persinggungan (queen) ditambah jalur laut yang didokumentasikan "
            "(asumsi) untuk Alor, Lembata, Rote Ndao dan Sabu Raijua.",
            "Klaster: Moran lokal atas angka yang distandarkan EB, {permutations} permutasi, "
            "nilai q Benjamini–Hochberg.",
        ],
        "methods_source": {
            "published": "Data: laporan kumulatif BP3MI/BP2MI NTT yang dikutip media; untuk "
            "tiap tahun dipakai satu laporan terlengkap, laporan tidak pernah dijumlahkan.",
            "records": "Data: catatan kasus yang dibersihkan ({source}); {counted} catatan "
            "dihitung, {excluded} tidak dipilih, {outside} di luar periode.",
        },
        "methods_completeness": "Kelengkapan laporan (dibandingkan dengan total provinsi "
        "pada laporan yang sama): {items}. Angka gabungan: nol bila lengkap, Poisson "
        "tersensor bila daftar N teratas, tidak dipakai bila sebagian.",
        "completeness": {"complete": "lengkap", "top_n": "N teratas", "partial": "sebagian"},
        "caveats_heading": "Catatan kehati-hatian",
        "caveat_units": "22 kabupaten/kota dan jumlah yang kecil: pola di sini adalah "
        "asosiasi, bukan sebab, dan satu kabupaten dapat mengubahnya.",
        "caveat_model": "Model faktor: {model_n} kabupaten-tahun dari {units} kabupaten/kota"
        "{others}; taksiran tidak presisi.",
        "caveat_others": " (yang lain tidak punya semua faktor)",
        "caveat_volume": "Angka per penduduk bukan risiko per orang yang berangkat: jumlah "
        "yang berangkat per kabupaten/kota tidak diketahui.",
        "figure_rate": "{count} per 100.000 penduduk-tahun (gabungan)",
        "figure_eb": "Angka dihaluskan Empirical Bayes",
        "figure_lisa": "Klaster LISA",
        "figure_forest": "Faktor yang berkaitan",
        "sources_heading": "Sumber",
        "source_item": "{label}, periode {period}: {publisher}",
        "source_boundaries": "Batas wilayah: cahyadsn/wilayah_boundaries (lisensi MIT), kode "
        "Kepmendagri 300.2.2-2138/2025; kode BPS: Master File Desa",
        "columns_rates": ["Kabupaten/kota", "{Unit}", "Per 100.000", "IK 95%", "Klaster"],
        "columns_model": ["Faktor", "× {unit} per penduduk", "IK 95%", "p"],
        "scan_heading": "Kecamatan: di mana kasus berkelompok",
        "scan_intro": {
            "bernoulli": "Statistik scan Kulldorff (Bernoulli): kecamatan tempat bagian {count} "
            "di antara semua catatan lebih tinggi dari kebetulan; {permutations} replikasi.",
            "poisson": "Statistik scan Kulldorff (Poisson): kecamatan dengan {unit} per "
            "penduduk lebih tinggi dari kebetulan; {permutations} replikasi.",
            "space_time_permutation": "Statistik scan ruang-waktu (permutasi): kecamatan dan "
            "tahun dengan {unit} lebih banyak dari pola tempat dan waktu; {permutations} "
            "replikasi.",
        },
        "scan_found": "Klaster signifikan {id}: {names} ({regencies}); {observed} {unit} "
        "teramati, {expected} diharapkan, RR {rr}, {p}.",
        "scan_none": "Tidak ada klaster kecamatan yang signifikan (p ≤ 0,05).",
        "figure_scan": "Klaster kecamatan",
        "enforcement_heading": "Penegakan hukum dan pelindungan",
        "enforcement_intro": "Program yang tercatat per kabupaten/kota (laporan yang "
        "dipublikasikan dan catatan program sendiri): berapa kabupaten/kota yang punya program "
        "pada {year}, dan kabupaten/kota di sepertiga teratas angka yang dihaluskan yang "
        "belum punya.",
        "columns_programmes": [
            "Program",
            "Kabupaten/kota yang punya",
            "Sepertiga teratas tanpa program",
        ],
        "evaluation_intro": "Evaluasi: kabupaten/kota dibandingkan sebelum dan sesudah program "
        "dimulai, terhadap yang belum punya (model Poisson dengan efek kabupaten dan tahun); "
        "nilai p dari pengacakan siapa yang memulai kapan, yang tetap jujur dengan 22 "
        "kabupaten/kota.",
        "evaluation_found": "{programme}: {adopters}; {unit} ×{irr} (interval 95 % {low}–"
        "{high}), {p}. {verdict}",
        "verdict_signal": "Perubahan sebesar ini jarang muncul secara kebetulan.",
        "verdict_none": "Data belum dapat membedakannya dari kebetulan.",
        "adopters": "{n} kabupaten/kota memulai dalam periode data",
        "cannot_say": "Yang belum dapat dikatakan data",
        "no_room": "Tidak masuk model faktor karena tempat terbatas (satu variabel per tiga "
        "kabupaten/kota, {units} dalam model): {terms}",
        "not_evaluated": "{programme}: tidak dievaluasi ({reason})",
        "figure_event": "{programme}: {count} sebelum dan sesudah program",
    },
    "en": {
        "title": "{count}: where in NTT",
        "subtitle": "Policy brief for BP3MI NTT, the provincial government and partners",
        "synthetic": "SYNTHETIC DATA: the people in these data are not real. For "
        "demonstration only; do not quote.",
        "sample": {
            "published": "Data: {reports} BP3MI/BP2MI NTT reports of {count_lower}, {years}, "
            "for all 22 regencies (21 kabupaten and Kota Kupang).",
            "records": "Data: {counted} case records ({source}), {years}, for all 22 "
            "regencies (21 kabupaten and Kota Kupang).",
        },
        "sample_model": " The factor model uses the {model_n} regency-years ({model_years}) in "
        "which every factor is known.",
        "key_findings": "In brief",
        "finding_where": "{count} per head are highest in {names}. These {k} of 22 "
        "regencies hold {share} of the {total} {unit} the reports place by regency.",
        "finding_split": "Nearly all are non-procedural: {items}.",
        "split_item": "{nonprocedural} of {total} in {year}",
        "finding_volume": "A rate per head mixes how many people leave with how risky their "
        "way of leaving is. Procedural placements per head (2013) are highest in {legal}; "
        "troubled returnees and deportees (Jan–Jun 2024) come mostly from {returnees}. A low "
        "death rate can mean that people leave procedurally, not that fewer leave.",
        "finding_cluster_none": "Neighbouring regencies are no more alike than chance "
        "would make them: no cluster is significant (Moran's I = {i}, {p}).",
        "finding_cluster": "Significant clusters: {names}.",
        "finding_factor": "Of the social and economic factors, the clearest pattern is "
        "{term}: where it is one standard deviation higher, {unit} per head are {times} "
        "times as many ({low}–{high}; {p}).",
        "factor_fewer": " Fewer deaths per head where people are poorer or less schooled "
        "more likely reflect who leaves and by which route than protection.",
        "finding_programme_model": "{programme} goes with {direction} {unit} (×{irr}) in the "
        "factor model: programmes are not placed at random, so this shows where they "
        "are, not what they do. The before-and-after evaluation below is the better "
        "test.",
        "finding_evaluation_none": "Before-and-after evaluation: no programme shows a "
        "change that can be told apart from chance yet ({names}).",
        "finding_evaluation": "Before-and-after evaluation: {items}.",
        "more": "more",
        "fewer": "fewer",
        "prevention_heading": "What this means for prevention",
        "prevention_focus": "{names} carry {share} of the {unit} placed by regency: measures "
        "placed there reach the largest part of the risk.",
        "prevention_route": "{share} of the deaths were of non-procedural workers ({year}): "
        "protection that reaches only procedural placements touches at most {rest} of "
        "them. What matters happens before and at departure: villages, churches, ports and "
        "airports.",
        "prevention_gaps": "Regencies in the top third of the smoothed rate without "
        "{programme}: {names}.",
        "prevention_evidence": "No programme's effect can be measured yet with these data. "
        "A complete by-regency list of deaths every year, and the start date of each "
        "programme (template: migration-ntt init), would let the next evaluation say "
        "more.",
        "rates_heading": "Regencies with the highest rates",
        "rates_intro": {
            "published": "{count} per 100,000 person-years, {years}. Each year's report is "
            "read as complete (a regency not named had none), a top-N list (not named: "
            "below the smallest named count) or partial (not named: unknown); see Methods.",
            "records": "{count} per 100,000 person-years, {years}, from case records "
            "({source}); a regency without records counts as zero.",
        },
        "censored_note": "* estimated with a censored Poisson likelihood (a year in which "
        "the regency fell below a top-N list).",
        "suppression": 'Counts of 1–4 are shown as "<5"; "x": hidden so that totals cannot '
        "reveal a small count.",
        "factors_heading": "What goes with more {unit}",
        "factors_intro": "How many times as many {unit} per head where a factor is one "
        "standard deviation higher (programmes: present vs absent). Below 1: fewer; above "
        "1: more. Pooled model with year effects, {model_n} regency-years.",
        "methods_heading": "Methods",
        "methods": [
            "Person-years = population × the fraction of the year the data cover.",
            "Rates smoothed with Empirical Bayes (global and spatial); island regencies "
            "without neighbours use global Empirical Bayes.",
            "Spatial weights: queen contiguity plus documented sea links (an assumption) for "
            "Alor, Lembata, Rote Ndao and Sabu Raijua.",
            "Clusters: local Moran of EB-standardised rates, {permutations} permutations, "
            "Benjamini–Hochberg q-values.",
        ],
        "methods_source": {
            "published": "Data: cumulative BP3MI/BP2MI NTT reports quoted in the press; for "
            "each year the single most complete report is used, reports are never added "
            "together.",
            "records": "Data: cleaned case records ({source}); {counted} records counted, "
            "{excluded} not selected, {outside} outside the period.",
        },
        "methods_completeness": "Completeness of each year's report (against the province "
        "total the same report states): {items}. Pooled rate: zeros where complete, a "
        "censored Poisson likelihood where top-N, nothing where partial.",
        "completeness": {"complete": "complete", "top_n": "top-N", "partial": "partial"},
        "caveats_heading": "Caveats",
        "caveat_units": "22 regencies and small counts: the patterns here are associations, "
        "not causes, and a single regency can change them.",
        "caveat_model": "Factor model: {model_n} regency-years from {units} regencies{others}; "
        "its estimates are imprecise.",
        "caveat_others": " (the others lack a factor)",
        "caveat_volume": "A rate per head is not the risk per person who leaves: how many "
        "leave from each regency is not known.",
        "figure_rate": "{count} per 100,000 person-years (pooled)",
        "figure_eb": "Empirical Bayes smoothed rate",
        "figure_lisa": "LISA clusters",
        "figure_forest": "Associated factors",
        "sources_heading": "Sources",
        "source_item": "{label}, period {period}: {publisher}",
        "source_boundaries": "Boundaries: cahyadsn/wilayah_boundaries (MIT licence), "
        "Kepmendagri 300.2.2-2138/2025 codes; BPS codes: Master File Desa",
        "columns_rates": ["Regency", "{Unit}", "Per 100,000", "95% CI", "Cluster"],
        "columns_model": ["Factor", "× {unit} per head", "95% CI", "p"],
        "scan_heading": "Kecamatan: where cases cluster",
        "scan_intro": {
            "bernoulli": "Kulldorff scan statistic (Bernoulli): kecamatan where the share of "
            "{count} among all records is higher than chance; {permutations} replications.",
            "poisson": "Kulldorff scan statistic (Poisson): kecamatan with more {unit} per "
            "head than chance; {permutations} replications.",
            "space_time_permutation": "Space-time permutation scan: kecamatan and years with "
            "more {unit} than the place and time pattern explains; {permutations} "
            "replications.",
        },
        "scan_found": "Significant cluster {id}: {names} ({regencies}); {observed} {unit} "
        "observed, {expected} expected, RR {rr}, {p}.",
        "scan_none": "No kecamatan cluster is significant (p ≤ 0.05).",
        "figure_scan": "Kecamatan clusters",
        "enforcement_heading": "Enforcement and protection",
        "enforcement_intro": "Programmes recorded by regency (published reports and your own "
        "programme log): how many regencies have each programme in {year}, and the regencies "
        "in the top third of the smoothed rate that do not have it.",
        "columns_programmes": ["Programme", "Regencies with it", "Top third without it"],
        "evaluation_intro": "Evaluation: regencies compared before and after the programme "
        "started, against those without it (Poisson model with regency and year effects); "
        "p-values from reshuffling who adopted when, which stays honest with 22 regencies.",
        "evaluation_found": "{programme}: {adopters}; {unit} ×{irr} (95% interval {low}–"
        "{high}), {p}. {verdict}",
        "verdict_signal": "A change this large rarely arises by chance.",
        "verdict_none": "The data cannot tell it apart from chance.",
        "adopters": "{n} regencies started it within the years with data",
        "cannot_say": "What the data cannot say yet",
        "no_room": "Left out of the factor model for lack of room (one term per three "
        "regencies, {units} in the model): {terms}",
        "not_evaluated": "{programme}: not evaluated ({reason})",
        "figure_event": "{programme}: {count} before and after the programme",
    },
}
