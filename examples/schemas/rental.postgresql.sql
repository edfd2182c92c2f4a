-- A DVD-rental schema in the style of Sakila/Pagila, written from scratch for Skyforge (Apache-2.0):
-- same shape (films, actors, categories, inventory, customers, rentals, payments), not their DDL.
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');

CREATE TABLE language (
  language_id smallserial PRIMARY KEY,
  name        char(20) NOT NULL,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE category (
  category_id smallserial PRIMARY KEY,
  name        varchar(25) NOT NULL UNIQUE,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE actor (
  actor_id    serial PRIMARY KEY,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE film (
  film_id          serial PRIMARY KEY,
  title            varchar(255) NOT NULL,
  description      text,
  release_year     integer CHECK (release_year BETWEEN 1901 AND 2155),
  language_id      smallint NOT NULL REFERENCES language,
  rental_duration  smallint NOT NULL DEFAULT 3 CHECK (rental_duration BETWEEN 1 AND 14),
  rental_rate      numeric(4,2) NOT NULL DEFAULT 4.99 CHECK (rental_rate >= 0),
  length           smallint CHECK (length > 0),
  replacement_cost numeric(5,2) NOT NULL DEFAULT 19.99,
  rating           mpaa_rating DEFAULT 'G',
  last_update      timestamp NOT NULL DEFAULT now()
);

CREATE TABLE film_actor (
  actor_id    integer NOT NULL REFERENCES actor,
  film_id     integer NOT NULL REFERENCES film,
  last_update timestamp NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE film_category (
  film_id     integer NOT NULL REFERENCES film,
  category_id smallint NOT NULL REFERENCES category,
  last_update timestamp NOT NULL DEFAULT now(),
  PRIMARY KEY (film_id, category_id)
);

CREATE TABLE country (
  country_id  smallserial PRIMARY KEY,
  country     varchar(50) NOT NULL,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE city (
  city_id     serial PRIMARY KEY,
  city        varchar(50) NOT NULL,
  country_id  smallint NOT NULL REFERENCES country,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE address (
  address_id  serial PRIMARY KEY,
  address     varchar(50) NOT NULL,
  address2    varchar(50),
  district    varchar(20) NOT NULL,
  city_id     integer NOT NULL REFERENCES city,
  postal_code varchar(10),
  phone       varchar(20) NOT NULL,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE store (
  store_id    serial PRIMARY KEY,
  address_id  integer NOT NULL REFERENCES address,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  staff_id    serial PRIMARY KEY,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  address_id  integer NOT NULL REFERENCES address,
  email       varchar(50),
  store_id    integer NOT NULL REFERENCES store,
  active      boolean NOT NULL DEFAULT true,
  username    varchar(16) NOT NULL,
  last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE customer (
  customer_id serial PRIMARY KEY,
  store_id    integer NOT NULL REFERENCES store,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  email       varchar(50) UNIQUE,
  address_id  integer NOT NULL REFERENCES address,
  active      boolean NOT NULL DEFAULT true,
  create_date date NOT NULL DEFAULT current_date,
  last_update timestamp DEFAULT now()
);

CREATE TABLE inventory (
  inventory_id serial PRIMARY KEY,
  film_id      integer NOT NULL REFERENCES film,
  store_id     integer NOT NULL REFERENCES store,
  last_update  timestamp NOT NULL DEFAULT now()
);

CREATE TABLE rental (
  rental_id    serial PRIMARY KEY,
  rental_date  timestamp NOT NULL,
  inventory_id integer NOT NULL REFERENCES inventory,
  customer_id  integer NOT NULL REFERENCES customer,
  return_date  timestamp,
  staff_id     integer NOT NULL REFERENCES staff,
  last_update  timestamp NOT NULL DEFAULT now(),
  UNIQUE (rental_date, inventory_id, customer_id)
);

CREATE TABLE payment (
  payment_id   serial PRIMARY KEY,
  customer_id  integer NOT NULL REFERENCES customer,
  staff_id     integer NOT NULL REFERENCES staff,
  rental_id    integer REFERENCES rental,
  amount       numeric(5,2) NOT NULL CHECK (amount >= 0),
  payment_date timestamp NOT NULL
);
