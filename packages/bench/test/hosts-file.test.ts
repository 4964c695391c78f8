/** The hosts file: what a valid one gives, and that each bad key is named with what is valid. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostsFile } from '../src/targets/ssh/hosts-file.js';

const valid = `
ssh_config = "ssh_config"

[target]
ssh = "bench@10.0.0.2"
address = "10.0.0.2"
port = 2222
identity = "keys/bench"
jump = "me@bastion"
options = ["ServerAliveInterval=10"]
tune = true

[[drivers]]
ssh = "bench@10.0.0.3"

[[drivers]]
ssh = "driver-two"
name = "d2"
dir = "/srv/stackbench"
npm_cache = "/var/cache/npm"
`;

test('a valid hosts file: target, drivers, defaults, paths relative to the file', () => {
  const hosts = parseHostsFile(valid, '/etc/bench/hosts.toml');
  assert.equal(hosts.sshConfig, '/etc/bench/ssh_config');
  assert.equal(hosts.target.address, '10.0.0.2');
  assert.equal(hosts.target.port, 2222);
  assert.equal(hosts.target.identity, '/etc/bench/keys/bench');
  assert.equal(hosts.target.jump, 'me@bastion');
  assert.equal(hosts.target.tune, true);
  assert.deepEqual(
    hosts.drivers.map((d) => [d.name, d.destination, d.dir, d.npmCache]),
    [
      ['driver1', 'bench@10.0.0.3', 'stackbench', null],
      ['d2', 'driver-two', '/srv/stackbench', '/var/cache/npm'],
    ],
  );
});

const cases: [string, string, RegExp][] = [
  ['no target', '[[drivers]]\nssh = "a"', /target: is required/],
  ['no drivers', '[target]\nssh = "a"\naddress = "10.0.0.2"', /drivers: is required/],
  ['unknown top key', 'hosts = 1', /hosts: unknown key; valid keys: ssh_config/],
  [
    'unknown host key',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\nuser = "x"\n[[drivers]]\nssh = "b"',
    /target\.user: unknown key; valid keys: name, ssh, port/,
  ],
  [
    'bad address',
    '[target]\nssh = "a"\naddress = "not an address"\n[[drivers]]\nssh = "b"',
    /target\.address: "not an address": the IPv4 address or DNS name/,
  ],
  [
    'an option as destination',
    '[target]\nssh = "-oProxyCommand=x"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"',
    /target\.ssh: .* no leading -/,
  ],
  [
    'host keys not checked',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\noptions = ["StrictHostKeyChecking=no"]\n[[drivers]]\nssh = "b"',
    /target\.options: StrictHostKeyChecking=no: host keys are checked/,
  ],
  [
    'bad port',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\nport = 70000',
    /drivers\[0\]\.port: must be at most 65535/,
  ],
  [
    'a name twice',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\nname = "target"',
    /name: target is used twice/,
  ],
  ['not TOML', '[target', /hosts\.toml: line 1:/],
  [
    'a database without its user',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\n[database]\naddress = "10.0.0.9"',
    /database\.user: is required/,
  ],
  [
    'a database password in the file',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\n[database]\naddress = "10.0.0.9"\nuser = "u"\npassword = "secret"',
    /database\.password: unknown key; valid keys: address, port, user, name, password_env/,
  ],
  [
    'a password variable that is not set',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\n[database]\naddress = "10.0.0.9"\nuser = "u"\npassword_env = "STACKBENCH_TEST_UNSET_PASSWORD"',
    /database\.password_env: STACKBENCH_TEST_UNSET_PASSWORD is not set in this environment/,
  ],
  [
    'a database address that is not one',
    '[target]\nssh = "a"\naddress = "10.0.0.2"\n[[drivers]]\nssh = "b"\n[database]\naddress = "db host"\nuser = "u"',
    /database\.address: "db host": give the IPv4 address or DNS name/,
  ],
];

test("a hosts file may name the db workload's PostgreSQL; without [database], none", () => {
  assert.equal(parseHostsFile(valid, 'hosts.toml').database, null);
  const hosts = parseHostsFile(
    `${valid}\n[database]\naddress = "10.0.0.9"\nuser = "bench"\n`,
    'hosts.toml',
  );
  assert.deepEqual(hosts.database, {
    address: '10.0.0.9',
    port: 5432,
    user: 'bench',
    name: 'stackbench',
    passwordEnv: null,
  });
});

for (const [what, text, message] of cases) {
  test(`hosts file: ${what} is refused, naming the key (exit 2)`, () => {
    assert.throws(
      () => parseHostsFile(text, 'hosts.toml'),
      (error: Error & { code?: string; exitCode?: number }) => {
        assert.equal(error.code, 'BENCH_BAD_HOSTS');
        assert.equal(error.exitCode, 2);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}
