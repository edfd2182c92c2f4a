-- A digital music store in the style of Chinook, MariaDB/MySQL spelling; written from scratch for Skyforge (Apache-2.0):
-- same shape (artists, albums, tracks, playlists, employees reporting to employees, customers, invoices).
CREATE TABLE artist (
  artist_id int AUTO_INCREMENT PRIMARY KEY,
  name      varchar(120)
) ENGINE=InnoDB;

CREATE TABLE album (
  album_id  int AUTO_INCREMENT PRIMARY KEY,
  title     varchar(160) NOT NULL,
  artist_id integer NOT NULL,
  FOREIGN KEY (artist_id) REFERENCES artist (artist_id)
) ENGINE=InnoDB;

CREATE TABLE genre (
  genre_id int AUTO_INCREMENT PRIMARY KEY,
  name     varchar(120)
) ENGINE=InnoDB;

CREATE TABLE media_type (
  media_type_id int AUTO_INCREMENT PRIMARY KEY,
  name          varchar(120)
) ENGINE=InnoDB;

CREATE TABLE track (
  track_id      int AUTO_INCREMENT PRIMARY KEY,
  name          varchar(200) NOT NULL,
  album_id      integer,
  media_type_id integer NOT NULL,
  genre_id      integer,
  composer      varchar(220),
  milliseconds  integer NOT NULL CHECK (milliseconds > 0),
  bytes         integer,
  unit_price    numeric(10,2) NOT NULL CHECK (unit_price >= 0),
  FOREIGN KEY (album_id) REFERENCES album (album_id),
  FOREIGN KEY (media_type_id) REFERENCES media_type (media_type_id),
  FOREIGN KEY (genre_id) REFERENCES genre (genre_id)
) ENGINE=InnoDB;

CREATE TABLE employee (
  employee_id integer PRIMARY KEY,
  last_name   varchar(20) NOT NULL,
  first_name  varchar(20) NOT NULL,
  title       varchar(30),
  reports_to  integer,
  birth_date  datetime,
  hire_date   datetime,
  address     varchar(70),
  city        varchar(40),
  state       varchar(40),
  country     varchar(40),
  postal_code varchar(10),
  phone       varchar(24),
  fax         varchar(24),
  email       varchar(60),
  FOREIGN KEY (reports_to) REFERENCES employee (employee_id)
) ENGINE=InnoDB;

CREATE TABLE customer (
  customer_id    int AUTO_INCREMENT PRIMARY KEY,
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
  support_rep_id integer,
  FOREIGN KEY (support_rep_id) REFERENCES employee (employee_id)
) ENGINE=InnoDB;

CREATE TABLE invoice (
  invoice_id          int AUTO_INCREMENT PRIMARY KEY,
  customer_id         integer NOT NULL,
  invoice_date        datetime NOT NULL,
  billing_address     varchar(70),
  billing_city        varchar(40),
  billing_state       varchar(40),
  billing_country     varchar(40),
  billing_postal_code varchar(10),
  total               numeric(10,2) NOT NULL CHECK (total >= 0),
  FOREIGN KEY (customer_id) REFERENCES customer (customer_id)
) ENGINE=InnoDB;

CREATE TABLE invoice_line (
  invoice_line_id int AUTO_INCREMENT PRIMARY KEY,
  invoice_id      integer NOT NULL,
  track_id        integer NOT NULL,
  unit_price      numeric(10,2) NOT NULL,
  quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 10),
  FOREIGN KEY (invoice_id) REFERENCES invoice (invoice_id),
  FOREIGN KEY (track_id) REFERENCES track (track_id)
) ENGINE=InnoDB;

CREATE TABLE playlist (
  playlist_id int AUTO_INCREMENT PRIMARY KEY,
  name        varchar(120)
) ENGINE=InnoDB;

CREATE TABLE playlist_track (
  playlist_id integer NOT NULL,
  track_id    integer NOT NULL,
  PRIMARY KEY (playlist_id, track_id),
  FOREIGN KEY (playlist_id) REFERENCES playlist (playlist_id),
  FOREIGN KEY (track_id) REFERENCES track (track_id)
) ENGINE=InnoDB;
