-- A digital music store in the style of Chinook, written from scratch for Skyforge (Apache-2.0):
-- same shape (artists, albums, tracks, playlists, employees reporting to employees, customers, invoices).
CREATE TABLE artist (
  artist_id serial PRIMARY KEY,
  name      varchar(120)
);

CREATE TABLE album (
  album_id  serial PRIMARY KEY,
  title     varchar(160) NOT NULL,
  artist_id integer NOT NULL REFERENCES artist
);

CREATE TABLE genre (
  genre_id serial PRIMARY KEY,
  name     varchar(120)
);

CREATE TABLE media_type (
  media_type_id serial PRIMARY KEY,
  name          varchar(120)
);

CREATE TABLE track (
  track_id      serial PRIMARY KEY,
  name          varchar(200) NOT NULL,
  album_id      integer REFERENCES album,
  media_type_id integer NOT NULL REFERENCES media_type,
  genre_id      integer REFERENCES genre,
  composer      varchar(220),
  milliseconds  integer NOT NULL CHECK (milliseconds > 0),
  bytes         integer,
  unit_price    numeric(10,2) NOT NULL CHECK (unit_price >= 0)
);

CREATE TABLE employee (
  employee_id integer PRIMARY KEY,
  last_name   varchar(20) NOT NULL,
  first_name  varchar(20) NOT NULL,
  title       varchar(30),
  reports_to  integer REFERENCES employee (employee_id),
  birth_date  timestamp,
  hire_date   timestamp,
  address     varchar(70),
  city        varchar(40),
  state       varchar(40),
  country     varchar(40),
  postal_code varchar(10),
  phone       varchar(24),
  fax         varchar(24),
  email       varchar(60)
);

CREATE TABLE customer (
  customer_id    serial PRIMARY KEY,
  first_name     varchar(40) NOT NULL,
  last_name      varchar(20) NOT NULL,
  company        varchar(80),
  address        varchar(70),
  city           varchar(40),
  state          varchar(40),
  country        varchar(40),
  postal_code    varchar(10),
  phone          varchar(24),
  fax            varchar(24),
  email          varchar(60) NOT NULL UNIQUE,
  support_rep_id integer REFERENCES employee (employee_id)
);

CREATE TABLE invoice (
  invoice_id          serial PRIMARY KEY,
  customer_id         integer NOT NULL REFERENCES customer,
  invoice_date        timestamp NOT NULL,
  billing_address     varchar(70),
  billing_city        varchar(40),
  billing_state       varchar(40),
  billing_country     varchar(40),
  billing_postal_code varchar(10),
  total               numeric(10,2) NOT NULL CHECK (total >= 0)
);

CREATE TABLE invoice_line (
  invoice_line_id serial PRIMARY KEY,
  invoice_id      integer NOT NULL REFERENCES invoice,
  track_id        integer NOT NULL REFERENCES track,
  unit_price      numeric(10,2) NOT NULL,
  quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 10)
);

CREATE TABLE playlist (
  playlist_id serial PRIMARY KEY,
  name        varchar(120)
);

CREATE TABLE playlist_track (
  playlist_id integer NOT NULL REFERENCES playlist,
  track_id    integer NOT NULL REFERENCES track,
  PRIMARY KEY (playlist_id, track_id)
);
