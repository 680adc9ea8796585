// duckdb_figures.mjs - the DuckDB side of `make bench` (see README.md here).
//
//   node duckdb_figures.mjs run --year 2021 --input DIR --figures figures.txt
//        [--schema ../../templates/schema.ini] [--threads 2] [--timings]
//     Computes every figure of figures.txt from the raw CSV files of DIR with
//     DuckDB and prints them as `civreport query --format csv` does:
//     expression,key,key2,value (money in yuan with two decimals, counts as integers).
//
//     With --timings, the time of each step (and file) goes to stderr;
//     with BENCH_EXPLAIN=1 in the environment, each file's query plan too.
//
//   node duckdb_figures.mjs scan --input DIR [--threads 2]
//     Only parses every file with read_csv (every field of every row, nothing
//     typed or checked): DuckDB's floor on these files.
//
//   node duckdb_figures.mjs compare CIVREPORT.csv DUCKDB.csv
//     Compares two such outputs figure by figure and group by group; prints
//     every difference and exits 1 when there is one.
//
// The rules are civreport's, re-implemented in SQL from its documentation
// (src/value.h, src/ingest.h, src/query.h, templates/schema.ini), so that the
// two programs can only agree when both implement the same rules:
//   - files: every *.csv under DIR, sorted by path; each file's dataset and
//     column mapping come from its header (canonical names, ASCII keys and
//     aliases of schema.ini, after folding width, spaces and ASCII case);
//   - fields are trimmed of spaces and tabs; empty means absent; a required
//     column absent, or any present field that does not parse, rejects the row;
//   - ID: 18 characters (17 digits + check digit or X, ISO 7064 MOD 11-2) with a
//     real birth date in 1900-2099, or 15 digits (converted); persons are
//     counted by the 17 leading digits;
//   - money: "1234", "1234.5", "1,234.50", "¥1,234.50", "￥1234", "1234.50元",
//     full-width digits; a comma needs digits before it and exactly three
//     after ("1234,50" is rejected); at most 2 decimals and 13 digits; no
//     negatives (unless the column allows them); kept as integer fen;
//   - months: 2021-01, 2021/1, 202101, 2021.01, 2021年1月, a full date;
//     dates: 2021-03-15, 2021/3/15, 20210315, 2021年3月15日, 2021.3.15;
//   - enums: exact value, else the value after folding width/spaces/case;
//   - duplicates: same person + unique enum column + period month: the first
//     in (file, line) order is kept, later ones rejected;
//   - only rows of the report year (and of the year before, for @prev) count.
//
// Files must be UTF-8 (DuckDB's core CSV reader has no GB18030); run.sh
// converts the one GB18030 export of the sample once, for both programs.

import { readFileSync, readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function die(msg) {
	process.stderr.write(`duckdb_figures: ${msg}\n`);
	process.exit(2);
}

// ------------------------------------------------------------------ text

const FW_FROM = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0xff01 + i)).join('');
const FW_TO = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0x21 + i)).join('');

// text_fold (src/text.c): names and enum values compare after dropping
// spaces, folding full-width forms to ASCII and lowering ASCII letters.
function textFold(s) {
	let out = '';
	if (s.startsWith('\ufeff')) s = s.slice(1);
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		if (cp === 0x3000 || cp === 0x20 || cp === 0x09 || cp === 0xa0) continue;
		let c = cp >= 0xff01 && cp <= 0xff5e ? cp - 0xfee0 : cp;
		if (c >= 0x41 && c <= 0x5a) c += 0x20;
		out += String.fromCodePoint(c);
	}
	return out;
}

// ascii_fold (src/value.c): what the value parsers see.
function asciiFold(s) {
	let out = '';
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		if (cp === 0x20 || cp === 0x09 || cp === 0x3000 || cp === 0xa0) continue;
		if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0);
		else if (cp === 0xffe5 || cp === 0xa5) out += '$';
		else out += ch;
	}
	return out;
}

const sqlStr = (s) => `'${String(s).replace(/'/g, "''")}'`;
const sqlList = (a) => `[${a.map(sqlStr).join(', ')}]`;

// ---------------------------------------------------------------- schema

// templates/schema.ini, read as src/schema.c reads it (including how it
// splits lists: at every comma, ASCII or full-width).
function loadSchema(path) {
	const lists = {};
	const sets = [];
	const find = (name) => sets.find((d) => d.name === name);
	let section = '';
	const split = (v) =>
		v
			.split(/,|，/)
			.map((x) => x.trim())
			.filter((x) => x !== '');
	let text = readFileSync(path, 'utf8');
	if (text.startsWith('\ufeff')) text = text.slice(1);
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
		if (line.startsWith('[')) {
			section = line.slice(1, line.lastIndexOf(']')).trim();
			continue;
		}
		const eq = line.indexOf('=');
		if (eq < 0) die(`${path}: malformed line: ${line}`);
		const key = line.slice(0, eq).trim();
		const value = line.slice(eq + 1).trim();
		// the area hierarchy serves reports of one 区县: no figure here needs it
		if (section === 'areas') continue;
		const m = section.match(/^(\S+)\s+(\S+)(?:\s+(.+))?$/);
		if (!m) die(`${path}: bad section [${section}]`);
		const [, kind, a, b] = m;
		if (kind === 'list') {
			lists[a] = split(value);
		} else if (kind === 'dataset' && b === undefined) {
			let ds = find(a);
			if (!ds) sets.push((ds = { name: a, title: a, cols: [], props: {} }));
			ds.props[key] = value;
		} else if (kind === 'column') {
			const ds = find(a);
			if (!ds) die(`${path}: column of undeclared dataset ${a}`);
			let col = ds.cols.find((c) => c.name === b);
			if (!col) {
				col = { name: b, type: 'text', required: false, mask: 'none', negative: false, match: [textFold(b)], values: [] };
				ds.cols.push(col);
			}
			const yes = ['yes', 'true', '1', '是'].includes(value);
			if (key === 'key') {
				col.key = value;
				col.match.push(textFold(value));
			} else if (key === 'type') col.type = value;
			else if (key === 'required') col.required = yes;
			else if (key === 'pii') {
				if (yes && col.mask === 'none') col.mask = 'name';
			} else if (key === 'mask') col.mask = value === 'id' ? 'id' : 'name';
			else if (key === 'negative') col.negative = yes;
			else if (key === 'aliases') for (const x of split(value)) col.match.push(textFold(x));
			else if (key === 'values') col.valuesSpec = value;
		}
	}
	for (const ds of sets) {
		for (const col of ds.cols) {
			if (col.valuesSpec !== undefined) {
				col.values = col.valuesSpec.startsWith('@') ? lists[col.valuesSpec.slice(1)] : split(col.valuesSpec);
				if (!col.values) die(`${path}: unknown list ${col.valuesSpec}`);
				col.folded = col.values.map(textFold);
			}
		}
		const colOf = (name) => (name ? columnIndex(ds, name) : -1);
		ds.person = colOf(ds.props.person);
		ds.amount = colOf(ds.props.amount);
		ds.period = colOf(ds.props.period);
		ds.household = colOf(ds.props.household);
		ds.uniqueEnum = -1;
		if (ds.props.unique)
			for (const n of split(ds.props.unique)) {
				const c = columnIndex(ds, n);
				if (c >= 0 && ds.cols[c].type === 'enum') ds.uniqueEnum = c;
			}
	}
	return sets;
}

function columnIndex(ds, name) {
	const f = textFold(name);
	return ds.cols.findIndex((c) => c.match.includes(f));
}

// ------------------------------------------------------- values (filters)

// The month and date spellings of src/value.c as regular expressions; the
// same patterns run inside DuckDB (RE2) for every row.
const SEP = '(?:[-/.]|年|月)';
const RE_MONTH = `^(?:([0-9]{6})|([0-9]{8})|([0-9]{4})${SEP}([0-9]{1,2})(?:${SEP}([0-9]{1,8}))?)(?:${SEP}|日)?$`;
const RE_DATE = `^(?:([0-9]{8})|([0-9]{4})${SEP}([0-9]{1,2})${SEP}([0-9]{1,2}))(?:${SEP}|日)?$`;
// a comma is a thousands separator: digits before it, exactly three after
const RE_MONEY = '^(-?)(\\$?)(-?)([0-9]+(?:,[0-9]{3})*)(?:\\.([0-9]{0,2}))?(?:元)?$';
const RE_INT = '^(-?)([0-9]+(?:,[0-9]{3})*)$';

function realDate(y, m, d) {
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function jsMonth(s) {
	const m = asciiFold(s).match(new RegExp(RE_MONTH, 'u'));
	if (!m) return null;
	let y, mo;
	if (m[1]) [y, mo] = [+m[1].slice(0, 4), +m[1].slice(4)];
	else if (m[2]) [y, mo] = [+m[2].slice(0, 4), +m[2].slice(4, 6)];
	else {
		[y, mo] = [+m[3], +m[4]];
		if (m[5] !== undefined && !realDate(y, mo, +m[5])) return null;
	}
	return y >= 1900 && y <= 2099 && mo >= 1 && mo <= 12 ? y * 100 + mo : null;
}

function jsDate(s) {
	const m = asciiFold(s).match(new RegExp(RE_DATE, 'u'));
	if (!m) return null;
	const [y, mo, d] = m[1] ? [+m[1].slice(0, 4), +m[1].slice(4, 6), +m[1].slice(6)] : [+m[2], +m[3], +m[4]];
	return realDate(y, mo, d) ? y * 10000 + mo * 100 + d : null;
}

function jsMoney(s) {
	const m = asciiFold(s).match(new RegExp(RE_MONEY, 'u'));
	if (!m || (m[1] && m[3])) return null;
	const frac = (m[5] || '').padEnd(2, '0');
	const fen = BigInt(m[4].replace(/,/g, '')) * 100n + BigInt(frac);
	return m[1] || m[3] ? -fen : fen;
}

// period_range (src/query_parse.c): a year, month or date as [lo, hi].
function periodRange(col, v, year) {
	const month = col.type === 'month';
	let y = -1;
	if (v === '$year') y = year;
	else if (v === '$prev') y = year - 1;
	else if (/^[0-9]{4}$/.test(v)) y = +v;
	else if (v.includes('年') && !v.includes('月') && /^[0-9]{4}/.test(v)) y = +v.slice(0, 4);
	if (y >= 0) return month ? [y * 100 + 1, y * 100 + 12] : [y * 10000 + 101, y * 10000 + 1231];
	const d = jsDate(v);
	if (d !== null) return month ? [Math.floor(d / 100), Math.floor(d / 100)] : [d, d];
	const ym = jsMonth(v);
	if (ym !== null) return month ? [ym, ym] : [ym * 100 + 1, ym * 100 + 31];
	return null;
}

// ------------------------------------------------- the metric language

const MEASURES = {
	persons: 'persons', 人数: 'persons', households: 'households', 户数: 'households',
	rows: 'rows', 人次: 'rows', count: 'rows', amount: 'amount', 金额: 'amount',
	sum: 'sum', 合计: 'sum', distinct: 'distinct', 去重: 'distinct',
};

// A parser for the grammar of src/query.h (ASCII punctuation only).
function parseExpr(text, schema, year) {
	const src = text.trim();
	let pos = 0;
	const fail = (msg) => die(`expression "${src}" at ${pos}: ${msg}`);
	const ws = () => {
		while (pos < src.length && /[\s\u3000]/.test(src[pos])) pos++;
	};
	const eat = (tok) => {
		ws();
		if (src.startsWith(tok, pos)) {
			pos += tok.length;
			return true;
		}
		return false;
	};
	const word = () => {
		ws();
		const m = /^[A-Za-z0-9_\u0080-\uffff]*/u.exec(src.slice(pos));
		pos += m[0].length;
		return m[0];
	};
	// a column name: up to a stop character, brackets balanced (资金(元))
	const colName = (stops) => {
		ws();
		let depth = 0;
		const start = pos;
		for (; pos < src.length; pos++) {
			const c = src[pos];
			if (c === '(') depth++;
			else if (c === ')') {
				if (depth === 0) break;
				depth--;
			} else if (depth === 0 && (stops.includes(c) || c === '!')) break;
		}
		return src.slice(start, pos).trim();
	};
	const q = { text: src, filters: [], by: [], prev: false };
	const dsName = (ws(), /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos)) || [''])[0];
	pos += dsName.length;
	q.ds = schema.find((d) => d.name === dsName);
	if (!q.ds) fail(`unknown dataset "${dsName}"`);
	const ds = q.ds;
	const resolve = (name) => {
		const c = columnIndex(ds, name);
		if (c < 0) fail(`dataset ${ds.name} has no column "${name}"`);
		return c;
	};
	if (!eat('.')) fail('"." expected');
	const mw = word();
	q.measure = MEASURES[mw];
	if (!q.measure) fail(`unknown measure "${mw}"`);
	if (q.measure === 'sum' || q.measure === 'distinct') {
		if (!eat('(')) fail('"(" expected');
		q.col = resolve(colName(')'));
		if (!eat(')')) fail('")" expected');
		if (q.measure === 'sum' && !['money', 'integer'].includes(ds.cols[q.col].type)) fail('sum of a non-numeric column');
	} else {
		q.col = { persons: ds.person, households: ds.household, amount: ds.amount, rows: -1 }[q.measure];
		if (q.col === undefined || (q.measure !== 'rows' && q.col < 0)) fail(`dataset ${ds.name} has no column for ${q.measure}`);
	}
	if (eat('[')) {
		if (!eat(']')) {
			do {
				const col = resolve(colName('=;]'));
				const f = { col, negate: false, values: [] };
				if (eat('!=')) f.negate = true;
				else if (!eat('=')) fail('"=" or "!=" expected');
				do {
					ws();
					let v;
					if (src[pos] === '"' && src.indexOf('"', pos + 1) > 0) {
						const close = src.indexOf('"', pos + 1);
						v = src.slice(pos + 1, close);
						pos = close + 1;
					} else {
						const start = pos;
						while (pos < src.length && !',;]'.includes(src[pos])) pos++;
						v = src.slice(start, pos).trim();
					}
					if (v === '') fail('missing value');
					f.values.push(filterValue(ds.cols[col], v, year) ?? fail(`"${v}" is no value of ${ds.cols[col].name}`));
				} while (eat(','));
				q.filters.push(f);
			} while (eat(';'));
			if (!eat(']')) fail('"]" expected');
		}
	}
	if (eat('@prev')) q.prev = true;
	ws();
	if (pos < src.length) {
		const w = word();
		if (w !== 'by' && w !== '按') fail(`unexpected "${src.slice(pos)}"`);
		do {
			if (q.by.length === 2) fail('at most two by-columns');
			const c = resolve(colName(','));
			const t = ds.cols[c].type;
			// dates other than the period span years: only as the first by-column
			const ok =
				t === 'enum' ||
				((t === 'month' || t === 'date') && (c === ds.period || q.by.length === 0)) ||
				(t === 'text' && ds.cols[c].mask === 'none' && q.by.length === 0);
			if (!ok) fail(`cannot group by ${ds.cols[c].name} here`);
			q.by.push(c);
		} while (eat(','));
		if (q.by.some((c) => ds.cols[c].type === 'text') && q.by.length > 1) fail('a text column groups alone');
	}
	ws();
	if (pos < src.length) fail(`unexpected "${src.slice(pos)}"`);
	q.money = q.measure === 'amount' || (q.measure === 'sum' && ds.cols[q.col].type === 'money');
	return q;
}

// One filter value as SQL-ready data: an enum index, a [lo, hi] range or a text.
function filterValue(col, v, year) {
	switch (col.type) {
		case 'enum': {
			const i = col.folded.indexOf(textFold(v));
			return i < 0 ? null : { enumIndex: i };
		}
		case 'month':
		case 'date': {
			const r = periodRange(col, v, year);
			return r && { lo: r[0], hi: r[1] };
		}
		case 'money': {
			const f = jsMoney(v);
			return f === null ? null : { lo: f, hi: f };
		}
		case 'integer': {
			const m = asciiFold(v).match(new RegExp(RE_INT));
			return m && { lo: BigInt(m[1] + m[2].replace(/,/g, '')), hi: BigInt(m[1] + m[2].replace(/,/g, '')) };
		}
		case 'id': {
			const d = asciiFold(v);
			return /^[0-9]{17}[0-9Xx]$/.test(d) ? { lo: BigInt(d.slice(0, 17)), hi: BigInt(d.slice(0, 17)) } : null;
		}
		default:
			return { text: v };
	}
}

// ------------------------------------------------------------ the files

function walk(root, rel = '', out = []) {
	for (const name of readdirSync(join(root, rel))) {
		if (name.startsWith('.')) continue;
		const sub = rel ? `${rel}/${name}` : name;
		const st = statSync(join(root, sub));
		if (st.isDirectory()) walk(root, sub, out);
		else if (st.isFile() && /\.csv$/i.test(name)) out.push(sub);
	}
	return out;
}

// The header record of a file: its fields, and the blank lines before it.
function readHeader(path) {
	const fd = openSync(path, 'r');
	const buf = Buffer.alloc(1 << 16);
	const n = readSync(fd, buf, 0, buf.length, 0);
	closeSync(fd);
	let text;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n), { stream: true });
	} catch {
		die(`${path}: not UTF-8 (DuckDB's core CSV reader reads UTF-8; convert the file with iconv, as run.sh does)`);
	}
	if (text.startsWith('\ufeff')) text = text.slice(1);
	let i = 0,
		blank = 0;
	while (i < text.length && (text[i] === '\n' || text[i] === '\r')) {
		if (text[i] === '\n' || text[i + 1] !== '\n') blank++;
		i++;
	}
	const fields = [];
	let f = '',
		quoted = false;
	for (; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
			else if (c === '"') quoted = false;
			else f += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') fields.push(f), (f = '');
		else if (c === '\n' || c === '\r') break;
		else f += c;
	}
	fields.push(f);
	return { fields, blank };
}

// recognise() of src/ingest.c: the dataset whose columns the header matches
// best (all required present first, then most columns, then the file name).
function recognise(schema, path, fields) {
	let best = null;
	const base = path.split('/').pop();
	for (const ds of schema) {
		const map = [];
		let matched = 0;
		fields.forEach((h, i) => {
			let c = columnIndex(ds, h);
			if (c >= 0 && map.includes(c)) c = -1; // the first of a repeated column counts
			map[i] = c;
			if (c >= 0) matched++;
		});
		const missing = ds.cols.filter((col, c) => col.required && !map.includes(c)).length;
		const m = { ds, map, matched, missing };
		if (
			!best ||
			(missing === 0 && best.missing > 0) ||
			(matched > best.matched && (missing === 0) === (best.missing === 0)) ||
			(matched === best.matched && base.startsWith(ds.name))
		)
			best = m;
	}
	if (!best || best.matched === 0) die(`${path}: no known column in the header`);
	if (best.missing > 0) die(`${path}: a required column of ${best.ds.name} is missing`);
	return best;
}

// ------------------------------------------------------------------ SQL

const MACROS = `
CREATE MACRO cr_trim(s) AS nullif(trim(s, ' ' || chr(9)), '');
-- translate() is slow with a long character set: only for the few fields that need it
CREATE MACRO cr_fold(s) AS CASE WHEN regexp_matches(s, '[\\x{FF01}-\\x{FF5E}\\x{FFE5}\\x{A5}\\x{3000}\\x{A0} \\t]')
	THEN translate(s, ${sqlStr(FW_FROM + '\uffe5\u00a5 \t\u3000\u00a0')}, ${sqlStr(FW_TO + '$$')}) ELSE s END;
CREATE MACRO cr_tfold(s) AS lower(CASE WHEN regexp_matches(s, '[\\x{FF01}-\\x{FF5E}\\x{3000}\\x{A0} \\t]')
	THEN translate(s, ${sqlStr(FW_FROM + ' \t\u3000\u00a0')}, ${sqlStr(FW_TO)}) ELSE s END);
CREATE MACRO cr_real_date(y, m, d) AS
	y BETWEEN 1900 AND 2099 AND m BETWEEN 1 AND 12 AND d >= 1 AND
	d <= CASE WHEN m = 2 AND ((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0) THEN 29
	          ELSE [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m] END;
-- 17 digits of an ID: 18 characters (the last one checked later) or 15 digits
CREATE MACRO cr_id17(g) AS CASE
	WHEN length(g) = 18 AND regexp_full_match(g, '[0-9]{17}[0-9Xx]') THEN TRY_CAST(left(g, 17) AS BIGINT)
	WHEN length(g) = 15 AND regexp_full_match(g, '[0-9]{15}') THEN TRY_CAST(left(g, 6) || '19' || right(g, 9) AS BIGINT) END;
CREATE MACRO cr_idcheck(n) AS substr('10X98765432', 1 + CAST((
	(n // 10000000000000000) % 10 * 7 + (n // 1000000000000000) % 10 * 9 +
	(n // 100000000000000) % 10 * 10 + (n // 10000000000000) % 10 * 5 +
	(n // 1000000000000) % 10 * 8 + (n // 100000000000) % 10 * 4 +
	(n // 10000000000) % 10 * 2 + (n // 1000000000) % 10 * 1 +
	(n // 100000000) % 10 * 6 + (n // 10000000) % 10 * 3 +
	(n // 1000000) % 10 * 7 + (n // 100000) % 10 * 9 +
	(n // 10000) % 10 * 10 + (n // 1000) % 10 * 5 +
	(n // 100) % 10 * 8 + (n // 10) % 10 * 4 + n % 10 * 2) % 11 AS INTEGER), 1);
CREATE MACRO cr_id(n, g) AS CASE WHEN n IS NOT NULL
	AND cr_real_date((n // 10000000) % 10000, (n // 100000) % 100, (n // 1000) % 100)
	AND (length(g) = 15 OR upper(right(g, 1)) = cr_idcheck(n)) THEN n END;
CREATE MACRO cr_money(p, neg_ok) AS CASE
	WHEN p.w <> '' AND NOT (p.s1 = '-' AND p.s2 = '-') AND length(replace(p.w, ',', '')) <= 13 THEN
	CASE WHEN p.s1 = '-' OR p.s2 = '-' THEN
	     CASE WHEN neg_ok OR (replace(p.w, ',', '') || p.fr) SIMILAR TO '0+' THEN -1 END
	     ELSE 1 END *
	(TRY_CAST(replace(p.w, ',', '') AS BIGINT) * 100 +
	 CASE length(p.fr) WHEN 0 THEN 0 WHEN 1 THEN TRY_CAST(p.fr AS BIGINT) * 10 ELSE TRY_CAST(p.fr AS BIGINT) END) END;
CREATE MACRO cr_int(p, neg_ok) AS CASE
	WHEN p.w <> '' AND length(replace(p.w, ',', '')) <= 15 THEN
	CASE WHEN p.s = '-' THEN CASE WHEN neg_ok OR replace(p.w, ',', '') SIMILAR TO '0+' THEN -1 END ELSE 1 END *
	TRY_CAST(replace(p.w, ',', '') AS BIGINT) END;
CREATE MACRO cr_month(p) AS CASE
	WHEN p.a6 <> '' THEN TRY_CAST(p.a6 AS INTEGER)
	WHEN p.a8 <> '' THEN TRY_CAST(p.a8 AS INTEGER) // 100
	WHEN p.y <> '' AND (p.d = '' OR cr_real_date(TRY_CAST(p.y AS INTEGER), TRY_CAST(p.m AS INTEGER), TRY_CAST(p.d AS INTEGER)))
	     THEN TRY_CAST(p.y AS INTEGER) * 100 + TRY_CAST(p.m AS INTEGER) END;
CREATE MACRO cr_month_ok(v) AS CASE WHEN v // 100 BETWEEN 1900 AND 2099 AND v % 100 BETWEEN 1 AND 12 THEN v END;
CREATE MACRO cr_date(p) AS CASE
	WHEN p.a8 <> '' AND cr_real_date(TRY_CAST(p.a8 AS INTEGER) // 10000, TRY_CAST(p.a8 AS INTEGER) // 100 % 100, TRY_CAST(p.a8 AS INTEGER) % 100)
	     THEN TRY_CAST(p.a8 AS INTEGER)
	WHEN p.y <> '' AND cr_real_date(TRY_CAST(p.y AS INTEGER), TRY_CAST(p.m AS INTEGER), TRY_CAST(p.d AS INTEGER))
	     THEN TRY_CAST(p.y AS INTEGER) * 10000 + TRY_CAST(p.m AS INTEGER) * 100 + TRY_CAST(p.d AS INTEGER) END;
-- Excel's "2021-03-15 00:00:00": the time of day is dropped (spaces already folded)
CREATE MACRO cr_datecut(g) AS CASE WHEN strpos(g, ':') > 10
	THEN regexp_replace(left(g, strpos(g, ':') - 3), 'T$', '') ELSE g END;
`;

const SQL_TYPE = { id: 'BIGINT', money: 'BIGINT', integer: 'BIGINT', month: 'INTEGER', date: 'INTEGER', enum: 'UTINYINT', text: 'VARCHAR' };

// The INSERT that reads, types and validates one file into its dataset's
// table.  A field is absent when it is empty after trimming spaces and tabs;
// the value parsers fold spaces away themselves, so the trim (and the blank
// test) only runs for text values and for fields that did not parse.
function fileInsert(path, ds, map, blank, need) {
	const names = map.map((_, i) => `f${i}`);
	const raw = (c) => {
		const i = map.indexOf(c);
		return i < 0 ? 'NULL::VARCHAR' : `f${i}`;
	};
	const stageA = [],
		stageB = [],
		stageC = [],
		stageD = [],
		checks = [];
	ds.cols.forEach((col, c) => {
		const s = `s${c}`;
		const used = need.includes(c);
		if (col.type === 'text' && !used && !col.required) return; // text is always valid
		stageA.push(`${raw(c)} AS ${s}`);
		stageB.push(s);
		stageC.push(s);
		stageD.push(s);
		switch (col.type) {
			case 'id':
				stageB.push(`cr_fold(${s}) AS g${c}`);
				stageC.push(`g${c}`, `cr_id17(g${c}) AS n${c}`);
				stageD.push(`cr_id(n${c}, g${c}) AS v${c}`);
				break;
			case 'money':
				stageB.push(`regexp_extract(cr_fold(${s}), ${sqlStr(RE_MONEY)}, ['s1', 'cur', 's2', 'w', 'fr']) AS p${c}`);
				stageC.push(`p${c}`);
				stageD.push(`cr_money(p${c}, ${col.negative}) AS v${c}`);
				break;
			case 'integer':
				stageB.push(`regexp_extract(cr_fold(${s}), ${sqlStr(RE_INT)}, ['s', 'w']) AS p${c}`);
				stageC.push(`p${c}`);
				stageD.push(`cr_int(p${c}, ${col.negative}) AS v${c}`);
				break;
			case 'month':
				stageB.push(`regexp_extract(cr_fold(${s}), ${sqlStr(RE_MONTH)}, ['a6', 'a8', 'y', 'm', 'd']) AS p${c}`);
				stageC.push(`p${c}`);
				stageD.push(`cr_month_ok(cr_month(p${c})) AS v${c}`);
				break;
			case 'date':
				stageB.push(`regexp_extract(cr_datecut(cr_fold(${s})), ${sqlStr(RE_DATE)}, ['a8', 'y', 'm', 'd']) AS p${c}`);
				stageC.push(`p${c}`);
				stageD.push(`cr_date(p${c}) AS v${c}`);
				break;
			case 'enum': // the exact value first, as civreport does
				stageB.push(
					`CAST(coalesce(list_position(${sqlList(col.values)}, ${s}), list_position(${sqlList(col.folded)}, cr_tfold(${s}))) - 1 AS UTINYINT) AS v${c}`,
				);
				stageC.push(`v${c}`);
				stageD.push(`v${c}`);
				break;
			default: // text; personal names arrive masked (张*), as in civreport
				stageB.push(
					col.mask === 'name'
						? `CASE WHEN cr_trim(${s}) IS NOT NULL THEN left(cr_trim(${s}), 1) || repeat('*', length(cr_trim(${s})) - 1) END AS v${c}`
						: `cr_trim(${s}) AS v${c}`,
				);
				stageC.push(`v${c}`);
				stageD.push(`v${c}`);
		}
		if (col.type === 'text') checks.push(col.required ? `v${c} IS NOT NULL` : 'true');
		else checks.push(col.required ? `v${c} IS NOT NULL` : `(v${c} IS NOT NULL OR cr_trim(${s}) IS NULL)`);
	});
	// Every row goes in, with its verdict: a WHERE here would be pushed below the
	// projections and make DuckDB compute every value twice.
	return `INSERT INTO ${ds.name}_all
SELECT ${need.map((c) => `v${c}`).join(', ')}, coalesce(${checks.join(' AND ')}, false)
FROM (SELECT ${stageD.join(', ')}
  FROM (SELECT ${stageC.join(', ')}
    FROM (SELECT ${stageB.join(', ')}
      FROM (SELECT ${stageA.join(', ')}
        FROM read_csv(${sqlStr(path)}, header = true, skip = ${blank}, names = ${sqlList(names)},
             all_varchar = true, delim = ',', quote = '"', escape = '"', null_padding = true)))))`;
}

// One figure: its condition, measure and group keys in SQL.
function figureSql(q, year) {
	const ds = q.ds;
	const conds = [`${periodYear(ds)} = ${q.prev ? year - 1 : year}`];
	for (const f of q.filters) {
		const col = ds.cols[f.col];
		const v = `v${f.col}`;
		let match;
		if (col.type === 'enum') match = `${v} IN (${f.values.map((x) => x.enumIndex).join(', ')})`;
		else if (col.type === 'text') match = `${v} IN (${f.values.map((x) => sqlStr(x.text)).join(', ')})`;
		else match = f.values.map((x) => `${v} BETWEEN ${x.lo} AND ${x.hi}`).join(' OR ');
		conds.push(f.negate ? `NOT coalesce(${match}, false)` : `coalesce(${match}, false)`);
	}
	const c = `v${q.col}`;
	// the measure as an aggregate, with an optional FILTER clause
	const measure = (filter = '') =>
		({
			rows: `count(*)${filter}`,
			persons: `count(DISTINCT ${c})${filter}`,
			households: `count(DISTINCT ${c})${filter}`,
			distinct: `count(DISTINCT ${c})${filter}`,
			amount: `coalesce(sum(${c})${filter}, 0)`,
			sum: `coalesce(sum(${c})${filter}, 0)`,
		})[q.measure];
	// group keys: the month of the period; yyyymm of other dates; the value otherwise
	const keys = q.by.map((b) => {
		const t = ds.cols[b].type;
		if (t === 'month') return b === ds.period ? `v${b} % 100` : `v${b}`;
		if (t === 'date') return b === ds.period ? `v${b} // 100 % 100` : `v${b} // 100`;
		return `v${b}`;
	});
	return { where: conds.join(' AND '), measure, keys };
}

const periodYear = (ds) => (ds.cols[ds.period].type === 'month' ? `v${ds.period} // 100` : `v${ds.period} // 10000`);

// fen as yuan with two decimals, counts as they are (civreport's csv format)
function plain(v, money) {
	if (!money) return String(v);
	const n = BigInt(v);
	const a = n < 0n ? -n : n;
	return `${n < 0n ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

// The text of one group key, and the fixed domain of a by-column (agg.c):
// enum values and the 12 months of the period; null for keys as seen (text,
// and other dates, keyed by their own year and month).
function keyText(ds, c, k, year) {
	const col = ds.cols[c];
	if (k === null || k === undefined) return '未填写';
	if (col.type === 'enum') return col.values[Number(k)];
	const two = (n) => String(n).padStart(2, '0');
	if (col.type === 'month' || col.type === 'date')
		return c === ds.period ? `${year}-${two(k)}` : `${String(Math.floor(Number(k) / 100)).padStart(4, '0')}-${two(Number(k) % 100)}`;
	return k === '' ? '未填写' : String(k);
}

function domain(ds, c) {
	const col = ds.cols[c];
	if (col.type === 'enum') return col.values.map((_, i) => i);
	if ((col.type === 'month' || col.type === 'date') && c === ds.period) return Array.from({ length: 12 }, (_, i) => i + 1);
	return null;
}

async function run(opts) {
	const { DuckDBInstance } = await import('@duckdb/node-api');
	const year = opts.year;
	const schema = loadSchema(opts.schema);
	const figLines = readFileSync(opts.figures, 'utf8')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '' && !l.startsWith('#'));
	const figs = figLines.map((t) => parseExpr(t, schema, year));
	const wantPrev = figs.some((q) => q.prev);
	const years = wantPrev ? [year, year - 1] : [year];
	const t0 = performance.now();
	const timings = [];
	const lap = (what) => timings.push([what, performance.now()]);

	const inst = await DuckDBInstance.create(':memory:', { threads: String(opts.threads), temp_directory: tmpdir() });
	const con = await inst.connect();
	const exec = async (sql) => con.run(sql);
	const all = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();
	await exec('SET preserve_insertion_order = true');
	for (const stmt of MACROS.split(/;\s*\n/).filter((s) => s.trim() !== '')) await exec(stmt);

	// The columns each dataset's table keeps: the ones some figure reads, plus
	// the duplicate key and the period.
	const need = new Map(schema.map((ds) => [ds.name, new Set([ds.period])]));
	for (const q of figs) {
		const s = need.get(q.ds.name);
		if (q.col >= 0) s.add(q.col);
		q.filters.forEach((f) => s.add(f.col));
		q.by.forEach((b) => s.add(b));
	}
	for (const ds of schema) {
		if (ds.uniqueEnum >= 0 && ds.person >= 0) [ds.person, ds.uniqueEnum].forEach((c) => need.get(ds.name).add(c));
		ds.need = [...need.get(ds.name)].sort((a, b) => a - b);
		await exec(
			`CREATE TABLE ${ds.name}_all (${ds.need.map((c) => `v${c} ${SQL_TYPE[ds.cols[c].type] || 'VARCHAR'}`).join(', ')}, ok BOOLEAN)`,
		);
	}

	// Read every file, in civreport's order, into its dataset's table.
	const files = walk(opts.input).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
	if (files.length === 0) die(`no CSV file in ${opts.input}`);
	for (const rel of files) {
		const path = join(opts.input, rel);
		const { fields, blank } = readHeader(path);
		const { ds, map } = recognise(schema, rel, fields);
		const sql = fileInsert(path, ds, map, blank, ds.need);
		if (process.env.BENCH_EXPLAIN) {
			const r = await all(`EXPLAIN ANALYZE ${sql}`);
			process.stderr.write(`${r[0][1]}\n`);
			process.stderr.write(`${sql}\n`);
		}
		const t = performance.now();
		await exec(sql);
		if (opts.timings) process.stderr.write(`duckdb:   ${rel}: ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
	}
	lap('read, type and validate');

	// Duplicates (same person, unique enum column and month): only the first
	// in (file, line) order, i.e. insertion order (rowid), is accepted.  The
	// few later ones are found with one GROUP BY and marked, not copied away.
	for (const ds of schema) {
		const admitted = `ok AND ${periodYear(ds)} IN (${years.join(', ')})`;
		if (ds.uniqueEnum >= 0 && ds.person >= 0) {
			const key = [ds.person, ds.uniqueEnum, ds.period].map((c) => `v${c}`).join(', ');
			await exec(`UPDATE ${ds.name}_all SET ok = false WHERE rowid IN (
				SELECT a.rowid FROM ${ds.name}_all a
				JOIN (SELECT ${key}, min(rowid) AS first FROM ${ds.name}_all WHERE ${admitted}
				      GROUP BY ALL HAVING count(*) > 1) d USING (${key})
				WHERE a.ok AND a.rowid <> d.first)`);
		}
		await exec(`CREATE VIEW ${ds.name} AS SELECT * EXCLUDE (ok) FROM ${ds.name}_all WHERE ${admitted}`);
	}
	lap('duplicates');

	// Datasets with rows of the previous year: @prev figures exist only for them.
	const hasPrev = new Map();
	for (const ds of schema) {
		if (!wantPrev) continue;
		const r = await all(`SELECT count(*) FROM ${ds.name} WHERE ${periodYear(ds)} = ${year - 1}`);
		hasPrev.set(ds.name, Number(r[0][0]) > 0);
	}

	// Single figures: one query per dataset with a FILTER per figure.
	const values = new Map();
	for (const ds of schema) {
		const single = figs.filter((q) => q.ds === ds && q.by.length === 0);
		if (single.length === 0) continue;
		const cols = single.map((q) => {
			const s = figureSql(q, year);
			return `CAST(${s.measure(` FILTER (WHERE ${s.where})`)} AS VARCHAR)`;
		});
		const row = (await all(`SELECT ${cols.join(', ')} FROM ${ds.name}`))[0];
		single.forEach((q, i) => values.set(q, row[i]));
	}
	// Series: one GROUP BY each.
	const series = new Map();
	for (const q of figs.filter((x) => x.by.length > 0)) {
		const s = figureSql(q, year);
		const keys = s.keys.map((k, i) => `${k} AS k${i}`).join(', ');
		series.set(q, await all(`SELECT ${keys}, CAST(${s.measure()} AS VARCHAR) FROM ${q.ds.name} WHERE ${s.where} GROUP BY ALL`));
	}
	lap('figures');

	// Print as civreport does: series with every key of an enum or a month
	// (zero or not), "未填写" only when it holds something, text keys sorted.
	// key2: the second by-column's value, a field of its own (never joined)
	const out = ['expression,key,key2,value'];
	const csv = (s) => (/[,"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
	for (const q of figs) {
		if (q.prev && !hasPrev.get(q.ds.name)) continue;
		const y = q.prev ? year - 1 : year;
		if (q.by.length === 0) {
			out.push(`${csv(q.text)},,,${plain(values.get(q), q.money)}`);
			continue;
		}
		const rows = series.get(q);
		const ds = q.ds;
		const id = (ks) => ks.map((k) => (k === null ? 'null' : String(k))).join('\u0001');
		const got = new Map(rows.map((r) => [id(r.slice(0, -1)), r[r.length - 1]]));
		const doms = q.by.map((c) => domain(ds, c));
		// first keys: the fixed domain and 未填写, or the keys seen (未填写 included)
		const d0 = doms[0] ? [...doms[0], null] : [...new Map(rows.map((r) => [id([r[0]]), r[0]])).values()];
		const d1 = q.by.length === 2 ? [...doms[1], null] : [undefined];
		const groups = [];
		for (const k0 of d0)
			for (const k1 of d1) {
				const v = got.get(id(k1 === undefined ? [k0] : [k0, k1])) ?? '0';
				// a fixed domain's 未填写 shows only when it holds something
				if (((doms[0] && k0 === null) || k1 === null) && BigInt(v) === 0n) continue;
				groups.push([keyText(ds, q.by[0], k0, y), k1 === undefined ? '' : keyText(ds, q.by[1], k1, y), v]);
			}
		// sorted bytewise part by part, as agg.c does
		const bytes = (x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y));
		if (!doms[0]) groups.sort((a, b) => bytes(a[0], b[0]) || bytes(a[1], b[1]));
		// a series without a single group prints its (zero) total, as civreport does
		if (groups.length === 0) out.push(`${csv(q.text)},,,${plain('0', q.money)}`);
		for (const [k, k2, v] of groups) out.push(`${csv(q.text)},${csv(k)},${csv(k2)},${plain(v, q.money)}`);
	}
	process.stdout.write(out.join('\n') + '\n');
	if (opts.timings) {
		let prev = t0;
		for (const [what, t] of timings) {
			process.stderr.write(`duckdb: ${what}: ${((t - prev) / 1000).toFixed(2)} s\n`);
			prev = t;
		}
	}
	con.closeSync();
	inst.closeSync();
}

// The floor of the DuckDB side: every file parsed by read_csv (every field
// of every row materialised, nothing typed or checked), same settings.
async function scan(opts) {
	const { DuckDBInstance } = await import('@duckdb/node-api');
	const inst = await DuckDBInstance.create(':memory:', { threads: String(opts.threads) });
	const con = await inst.connect();
	let rows = 0n;
	for (const rel of walk(opts.input).sort()) {
		const path = join(opts.input, rel);
		const { fields, blank } = readHeader(path);
		const names = fields.map((_, i) => `f${i}`);
		const r = await con.runAndReadAll(`SELECT count(*), ${names.map((n) => `max(length(${n}))`).join(', ')}
			FROM read_csv(${sqlStr(path)}, header = true, skip = ${blank}, names = ${sqlList(names)},
			     all_varchar = true, delim = ',', quote = '"', escape = '"', null_padding = true)`);
		rows += BigInt(r.getRowsJson()[0][0]);
	}
	process.stdout.write(`${rows} data rows\n`);
	con.closeSync();
	inst.closeSync();
}

// ---------------------------------------------------------------- compare

function parseCsv(text) {
	const rows = [];
	let row = [],
		f = '',
		q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
			else if (c === '"') q = false;
			else f += c;
		} else if (c === '"') q = true;
		else if (c === ',') row.push(f), (f = '');
		else if (c === '\n') row.push(f), rows.push(row), (row = []), (f = '');
		else if (c !== '\r') f += c;
	}
	if (f !== '' || row.length) row.push(f), rows.push(row);
	return rows;
}

function figuresOf(path) {
	const rows = parseCsv(readFileSync(path, 'utf8'));
	if (rows.length === 0 || rows[0].join(',') !== 'expression,key,key2,value') die(`${path}: not a civreport csv`);
	const m = new Map();
	for (const [expr, k1, k2, value] of rows.slice(1)) {
		// one text to compare and print; the parts stay apart ("助学/甲" is one value)
		const key = k1 === '' && k2 === '' ? '' : JSON.stringify(k2 === '' ? [k1] : [k1, k2]);
		if (!m.has(expr)) m.set(expr, new Map());
		if (m.get(expr).has(key)) die(`${path}: ${expr} [${key}] twice`);
		m.get(expr).set(key, value);
	}
	return m;
}

function compare(a, b, nameA = 'civreport', nameB = 'duckdb') {
	const A = figuresOf(a),
		B = figuresOf(b);
	let bad = 0,
		values = 0;
	for (const expr of new Set([...A.keys(), ...B.keys()])) {
		const ga = A.get(expr) || new Map(),
			gb = B.get(expr) || new Map();
		for (const key of new Set([...ga.keys(), ...gb.keys()])) {
			values++;
			const va = ga.get(key),
				vb = gb.get(key);
			if (va !== vb) {
				bad++;
				process.stdout.write(`MISMATCH ${expr}${key ? ` [${key}]` : ''}: ${nameA} ${va ?? '(none)'}, ${nameB} ${vb ?? '(none)'}\n`);
			}
		}
	}
	process.stdout.write(
		bad ? `compare: ${bad} of ${values} values differ\n` : `compare: all ${values} values of ${A.size} figures are equal\n`,
	);
	return bad ? 1 : 0;
}

// ------------------------------------------------------------------- main

const [mode, ...args] = process.argv.slice(2);
if (mode === 'compare') {
	if (args.length !== 2) die('usage: compare CIVREPORT.csv DUCKDB.csv');
	process.exit(compare(args[0], args[1]));
} else if (mode === 'run' || mode === 'scan') {
	const opts = { threads: 2, schema: join(HERE, '../../templates/schema.ini'), timings: false };
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--timings') opts.timings = true;
		else if (['--year', '--input', '--figures', '--schema', '--threads'].includes(a) && i + 1 < args.length) opts[a.slice(2)] = args[++i];
		else die(`unknown argument ${a}`);
	}
	opts.year = Number(opts.year);
	opts.threads = Number(opts.threads);
	if (mode === 'scan') {
		if (!opts.input) die('usage: scan --input DIR [--threads N]');
		await scan(opts);
	} else {
		if (!opts.year || !opts.input || !opts.figures)
			die('usage: run --year YYYY --input DIR --figures FILE [--schema FILE] [--threads N] [--timings]');
		await run(opts);
	}
} else {
	die('usage: duckdb_figures.mjs run ... | scan --input DIR | compare A.csv B.csv');
}
