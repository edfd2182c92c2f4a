-- A decision-support schema with the table and column layout of TPC-H (region, nation, part,
-- supplier, partsupp, customer, orders, lineitem), MariaDB/MySQL spelling; written for Skyforge (Apache-2.0) rather than
-- copied from the specification; the keys and the composite lineitem -> partsupp reference are explicit.
CREATE TABLE region (
  r_regionkey integer PRIMARY KEY,
  r_name      char(25) NOT NULL,
  r_comment   varchar(152)
) ENGINE=InnoDB;

CREATE TABLE nation (
  n_nationkey integer PRIMARY KEY,
  n_name      char(25) NOT NULL,
  n_regionkey integer NOT NULL,
  n_comment   varchar(152),
  FOREIGN KEY (n_regionkey) REFERENCES region (r_regionkey)
) ENGINE=InnoDB;

CREATE TABLE part (
  p_partkey     integer PRIMARY KEY,
  p_name        varchar(55) NOT NULL,
  p_mfgr        char(25) NOT NULL,
  p_brand       char(10) NOT NULL,
  p_type        varchar(25) NOT NULL,
  p_size        integer NOT NULL CHECK (p_size BETWEEN 1 AND 50),
  p_container   char(10) NOT NULL,
  p_retailprice numeric(15,2) NOT NULL CHECK (p_retailprice >= 0),
  p_comment     varchar(23) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE supplier (
  s_suppkey   integer PRIMARY KEY,
  s_name      char(25) NOT NULL,
  s_address   varchar(40) NOT NULL,
  s_nationkey integer NOT NULL,
  s_phone     char(15) NOT NULL,
  s_acctbal   numeric(15,2) NOT NULL,
  s_comment   varchar(101) NOT NULL,
  FOREIGN KEY (s_nationkey) REFERENCES nation (n_nationkey)
) ENGINE=InnoDB;

CREATE TABLE partsupp (
  ps_partkey    integer NOT NULL,
  ps_suppkey    integer NOT NULL,
  ps_availqty   integer NOT NULL CHECK (ps_availqty >= 0),
  ps_supplycost numeric(15,2) NOT NULL CHECK (ps_supplycost >= 0),
  ps_comment    varchar(199) NOT NULL,
  PRIMARY KEY (ps_partkey, ps_suppkey),
  FOREIGN KEY (ps_partkey) REFERENCES part (p_partkey),
  FOREIGN KEY (ps_suppkey) REFERENCES supplier (s_suppkey)
) ENGINE=InnoDB;

CREATE TABLE customer (
  c_custkey    integer PRIMARY KEY,
  c_name       varchar(25) NOT NULL,
  c_address    varchar(40) NOT NULL,
  c_nationkey  integer NOT NULL,
  c_phone      char(15) NOT NULL,
  c_acctbal    numeric(15,2) NOT NULL,
  c_mktsegment char(10) NOT NULL CHECK (c_mktsegment IN ('AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY')),
  c_comment    varchar(117) NOT NULL,
  FOREIGN KEY (c_nationkey) REFERENCES nation (n_nationkey)
) ENGINE=InnoDB;

CREATE TABLE orders (
  o_orderkey      bigint PRIMARY KEY,
  o_custkey       integer NOT NULL,
  o_orderstatus   char(1) NOT NULL CHECK (o_orderstatus IN ('F', 'O', 'P')),
  o_totalprice    numeric(15,2) NOT NULL CHECK (o_totalprice >= 0),
  o_orderdate     date NOT NULL,
  o_orderpriority char(15) NOT NULL,
  o_clerk         char(15) NOT NULL,
  o_shippriority  integer NOT NULL,
  o_comment       varchar(79) NOT NULL,
  FOREIGN KEY (o_custkey) REFERENCES customer (c_custkey)
) ENGINE=InnoDB;

CREATE TABLE lineitem (
  l_orderkey      bigint NOT NULL,
  l_partkey       integer NOT NULL,
  l_suppkey       integer NOT NULL,
  l_linenumber    integer NOT NULL CHECK (l_linenumber BETWEEN 1 AND 7),
  l_quantity      numeric(15,2) NOT NULL CHECK (l_quantity > 0),
  l_extendedprice numeric(15,2) NOT NULL CHECK (l_extendedprice >= 0),
  l_discount      numeric(15,2) NOT NULL CHECK (l_discount BETWEEN 0.00 AND 0.10),
  l_tax           numeric(15,2) NOT NULL CHECK (l_tax >= 0),
  l_returnflag    char(1) NOT NULL CHECK (l_returnflag IN ('A', 'N', 'R')),
  l_linestatus    char(1) NOT NULL CHECK (l_linestatus IN ('F', 'O')),
  l_shipdate      date NOT NULL,
  l_commitdate    date NOT NULL,
  l_receiptdate   date NOT NULL,
  l_shipinstruct  char(25) NOT NULL,
  l_shipmode      char(10) NOT NULL,
  l_comment       varchar(44) NOT NULL,
  PRIMARY KEY (l_orderkey, l_linenumber),
  FOREIGN KEY (l_partkey, l_suppkey) REFERENCES partsupp (ps_partkey, ps_suppkey),
  CHECK (l_shipdate <= l_receiptdate),
  FOREIGN KEY (l_orderkey) REFERENCES orders (o_orderkey)
) ENGINE=InnoDB;
